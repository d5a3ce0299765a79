/**
 * A simulated CPE as the device under test of the conformance lab's tests: one SimulatedDevice on real time, its
 * Connection Request server on 127.0.0.1, pointed at the lab's URL. (Here, beside the simulator, so that
 * src/conformance itself never imports cpe.)
 */

import type { DeviceProfile } from '../../datamodel/profile.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { RealScheduler } from '../clock/scheduler.ts';
import { ConnectionRequestServer } from '../connreq/connection-request-server.ts';
import { UdpConnectionRequestAgent } from '../connreq/udp-agent.ts';
import { XmppConnectionRequestAgent } from '../connreq/xmpp-agent.ts';
import type { DeviceBehaviour } from '../device/behaviour.ts';
import type { LocalControl } from '../device/local-control.ts';
import { SimulatedDevice } from '../device/simulated-device.ts';
import { deviceIdentity } from '../fleet/identity.ts';
import { templateFor } from '../model/template.ts';
import { simulatorProfile } from '../profile/simulator-profile.ts';

export interface SimulatedDut {
  device: SimulatedDevice;
  connectionRequest: { url: string; username: string; password: string };
  close(): Promise<void>;
}

export async function startSimulatedDut(
  acsUrl: string,
  options: {
    behaviour?: DeviceBehaviour;
    profile?: DeviceProfile;
    acsUsername?: string;
    acsPassword?: string;
    /** The CA the device trusts for an HTTPS lab. */
    ca?: string;
    /** The Connection Request server takes replayed Digest answers (a deviation to test the lab with). */
    acceptReplayedConnectionRequests?: boolean;
    /** Its UDP connection-request side (STUN, once the lab turns it on) takes replayed requests (a deviation). */
    acceptReplayedUdpConnectionRequests?: boolean;
    /** Logs in to this XMPP server as dut0001@domain and takes XMPP connection requests (ignoreCredentials: a deviation). */
    xmpp?: { service: string; domain: string; password: string; ignoreCredentials?: boolean };
    /** Reachable through this local control (a lab's --local-change-command changes its values there). */
    localControl?: LocalControl;
  } = {},
): Promise<SimulatedDut> {
  const template = templateFor(simulatorProfile(options.profile ?? DEVICE2_GATEWAY));
  const cr = await ConnectionRequestServer.start({
    host: '127.0.0.1',
    port: 0,
    limit: 1000,
    ...(options.acceptReplayedConnectionRequests === true ? { acceptReplayed: true } : {}),
  });
  const token = ConnectionRequestServer.newToken();
  const connectionRequest = {
    url: cr.urlFor(token),
    username: 'cr-DUT0001',
    password: 'cr-secret-1',
  };
  const identity = deviceIdentity(template, {
    serialNumber: 'DUT0001',
    acsUrl,
    ...(options.acsUsername === undefined ? {} : { acsUsername: options.acsUsername }),
    ...(options.acsPassword === undefined ? {} : { acsPassword: options.acsPassword }),
    connectionRequestUrl: connectionRequest.url,
    connectionRequestUsername: connectionRequest.username,
    connectionRequestPassword: connectionRequest.password,
  });
  const scheduler = new RealScheduler();
  // As a fleet does: the UDP side follows STUNEnable after each session (a socket only while it is on).
  let udp: UdpConnectionRequestAgent | undefined;
  const syncUdp = (d: SimulatedDevice) => {
    udp ??= new UdpConnectionRequestAgent(d, {
      host: '127.0.0.1',
      ...(options.acceptReplayedUdpConnectionRequests === true ? { acceptReplayed: true } : {}),
    });
    udp.sync().catch(() => {
      // A port that cannot be bound leaves the device reachable by HTTP only, as a real one would be.
    });
  };
  const device = new SimulatedDevice({
    template,
    identity: () => identity,
    scheduler,
    onSession: (_record, d) => syncUdp(d),
    random: () => 0.5,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.behaviour === undefined ? {} : { behaviour: options.behaviour }),
  });
  cr.bind(token, device);
  options.localControl?.add(device);
  const xmpp =
    options.xmpp === undefined
      ? undefined
      : new XmppConnectionRequestAgent(device, { ...options.xmpp, username: 'dut0001' });
  // Logged in before the first Inform, so that it reports its ConnReqJabberID from the start.
  await xmpp?.start().catch(() => {
    // A refused login leaves the device reachable by HTTP only; its ConnReqJabberID stays empty.
  });
  device.start();
  return {
    device,
    connectionRequest,
    async close() {
      await device.stop();
      await udp?.close();
      await xmpp?.stop();
      await cr.close();
    },
  };
}
