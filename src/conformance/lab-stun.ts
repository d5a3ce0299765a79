/**
 * The lab's STUN server and UDP connection requests (TR-069 Annex G, TR-111 Part 2), for the UDP connection-request
 * cases: the ACS's own STUN server (src/acs/stun) knowing one credential — the one the lab gives the DUT, so that
 * its binding says who it is — and the signed datagram of src/cwmp/udp-connection-request.ts, sent from the STUN
 * port (as the ACS sends it: a NAT that filters on address and port lets it in) in three copies.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  type RunningStunServer,
  type StunBinding,
  startStunServer,
} from '../acs/stun/stun-server.ts';
import { encodeUdpConnectionRequest } from '../cwmp/udp-connection-request.ts';
import { Secret } from '../store/secret.ts';

const DEVICE = 'dut';

export class LabStun {
  private readonly waiters = new Set<(binding: StunBinding) => void>();

  private constructor(
    private readonly server: RunningStunServer,
    /** The STUNUsername and STUNPassword the lab gives the DUT. */
    readonly credential: { username: string; password: string },
  ) {}

  static async start(host: string): Promise<LabStun> {
    const credential = {
      username: `corral-lab-${randomBytes(3).toString('hex')}`,
      password: randomBytes(12).toString('hex'),
    };
    let lab: LabStun | undefined;
    const server = await startStunServer({
      host,
      port: 0,
      requireCredentials: true,
      credentials: async (username) =>
        username === credential.username
          ? { deviceId: DEVICE, password: new Secret(credential.password) }
          : null,
      onBinding: (binding) => {
        for (const waiter of lab?.waiters ?? []) waiter(binding);
      },
      // The lab's evidence is the DUT's behaviour, not the server's log.
      log: () => {},
    });
    lab = new LabStun(server, credential);
    return lab;
  }

  get port(): number {
    return this.server.port;
  }

  /** The DUT's binding from its last authenticated Binding Request with CONNECTION-REQUEST-BINDING. */
  get binding(): StunBinding | undefined {
    return this.server.binding(DEVICE);
  }

  /** The DUT's first binding, or the one it has; undefined after `ms`. */
  waitBinding(ms: number): Promise<StunBinding | undefined> {
    const now = this.binding;
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (binding: StunBinding | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(binding);
      };
      const timer = setTimeout(() => done(undefined), ms);
      this.waiters.add(done);
    });
  }

  /** A signed UDP connection request for the DUT's binding, with a fresh id and the current time. */
  request(
    target: { address: string; port: number },
    credentials: { username: string; password: string },
  ): Buffer {
    return encodeUdpConnectionRequest(
      { host: target.address, port: target.port },
      {
        ts: Math.floor(Date.now() / 1000),
        id: randomInt(0, 2 ** 32),
        username: credentials.username,
        cnonce: randomBytes(8).toString('hex'),
      },
      credentials.password,
    );
  }

  /** Sends `datagram` three copies 200 ms apart, from the STUN port. */
  async send(datagram: Buffer, to: { address: string; port: number }): Promise<void> {
    for (let i = 0; i < 3; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      await this.server.send(datagram, to);
    }
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
