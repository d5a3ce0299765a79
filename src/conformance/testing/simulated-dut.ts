/**
 * A simulated CPE as the device under test, for the lab's own tests: one SimulatedDevice on real time, its
 * Connection Request server on 127.0.0.1, pointed at the lab's URL. (Tests only: the lab itself never imports cpe.)
 */
import { RealScheduler } from '../../cpe/clock/scheduler.ts';
import { ConnectionRequestServer } from '../../cpe/connreq/connection-request-server.ts';
import type { DeviceBehaviour } from '../../cpe/device/behaviour.ts';
import { SimulatedDevice } from '../../cpe/device/simulated-device.ts';
import { deviceIdentity } from '../../cpe/fleet/identity.ts';
import { templateFor } from '../../cpe/model/template.ts';
import { simulatorProfile } from '../../cpe/profile/simulator-profile.ts';
import type { DeviceProfile } from '../../datamodel/profile.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';

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
  } = {},
): Promise<SimulatedDut> {
  const template = templateFor(simulatorProfile(options.profile ?? DEVICE2_GATEWAY));
  const cr = await ConnectionRequestServer.start({ host: '127.0.0.1', port: 0, limit: 1000 });
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
  const device = new SimulatedDevice({
    template,
    identity: () => identity,
    scheduler,
    random: () => 0.5,
    ...(options.behaviour === undefined ? {} : { behaviour: options.behaviour }),
  });
  cr.bind(token, device);
  device.start();
  return {
    device,
    connectionRequest,
    async close() {
      await device.stop();
      await cr.close();
    },
  };
}
