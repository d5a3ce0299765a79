import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A real NAT for tests, made of network namespaces (iproute2) and an iptables MASQUERADE rule:
 *
 *   this process ── veth ── [router ns: MASQUERADE out of its WAN side] ── veth ── [LAN ns: the devices]
 *   172.31.N.1/30           172.31.N.2 / 10.N.0.1                                    10.N.0.2/24
 *
 * The test's own end of the first veth is the "WAN": the ACS listens there. 10.N.0.0/24 is an unreachable route
 * here, so the devices can reach the ACS but nothing can reach them unless the NAT maps it. Every name carries a random
 * suffix, and `destroy()` removes all of it (the namespaces take their veth ends with them).
 */
export interface Nat {
  /** The ACS side: an address of this process's (root) namespace, on the test's own veth. */
  wanAddress: string;
  /** What the devices' traffic looks like from the WAN side: the router's address. */
  routerWanAddress: string;
  /** The devices' address inside the LAN namespace. */
  lanAddress: string;
  /** `ip netns exec <lan> …` prefix for a command run behind the NAT. */
  lanExec: string[];
  /** Changes every mapping: new source ports from `fromPort`, and the connection tracking table emptied. */
  remap(fromPort: number): void;
  /** The router's connection tracking table (`conntrack -L`), for a failing test's message. */
  connections(): string;
  destroy(): void;
}

/** Why a NAT cannot be built here, or null when it can (root, ip, iptables, conntrack). */
export function natUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  for (const [tool, flag] of [
    ['ip', '-V'],
    ['iptables', '--version'],
    ['conntrack', '--version'],
  ] as const) {
    try {
      execFileSync(tool, [flag], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (apt-get install iproute2 iptables conntrack)`;
    }
  }
  return null;
}

export function createNat(): Nat {
  const id = randomBytes(2).toString('hex');
  const n = 100 + (randomBytes(1)[0]! % 150);
  const router = `crl-r-${id}`;
  const lan = `crl-l-${id}`;
  const wan = `crlw${id}`;
  const run = (...args: string[]) => execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });
  const inRouter = (...args: string[]) => run('ip', 'netns', 'exec', router, ...args);
  const nat: Nat = {
    wanAddress: `172.31.${n}.1`,
    routerWanAddress: `172.31.${n}.2`,
    lanAddress: `10.${n}.0.2`,
    lanExec: ['ip', 'netns', 'exec', lan],
    remap(fromPort) {
      inRouter('iptables', '-t', 'nat', '-F', 'POSTROUTING');
      inRouter(
        'iptables',
        '-t',
        'nat',
        '-A',
        'POSTROUTING',
        '-o',
        'wan0',
        '-p',
        'udp',
        '-j',
        'MASQUERADE',
        '--to-ports',
        `${fromPort}-${fromPort + 999}`,
      );
      inRouter('iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE');
      try {
        inRouter('conntrack', '-F');
      } catch {
        // An empty table makes conntrack exit 1 on some versions: nothing to flush is fine.
      }
    },
    connections() {
      try {
        return inRouter('conntrack', '-L').toString();
      } catch (error) {
        return `conntrack -L failed: ${(error as Error).message}`;
      }
    },
    destroy() {
      for (const args of [
        ['ip', 'route', 'del', 'unreachable', `10.${n}.0.0/24`],
        ['ip', 'netns', 'del', lan],
        ['ip', 'netns', 'del', router],
        ['ip', 'link', 'del', wan],
      ]) {
        try {
          run(...args);
        } catch {
          // Already gone with its namespace.
        }
      }
    },
  };
  try {
    run('ip', 'netns', 'add', router);
    run('ip', 'netns', 'add', lan);
    run('ip', 'link', 'add', wan, 'type', 'veth', 'peer', 'name', 'wan0', 'netns', router);
    run(
      'ip',
      'link',
      'add',
      'lan0',
      'netns',
      router,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      lan,
    );
    run('ip', 'addr', 'add', `${nat.wanAddress}/30`, 'dev', wan);
    run('ip', 'link', 'set', wan, 'up');
    run('ip', '-n', router, 'addr', 'add', `${nat.routerWanAddress}/30`, 'dev', 'wan0');
    run('ip', '-n', router, 'addr', 'add', `10.${n}.0.1/24`, 'dev', 'lan0');
    run('ip', '-n', lan, 'addr', 'add', `${nat.lanAddress}/24`, 'dev', 'eth0');
    for (const [ns, dev] of [
      [router, 'wan0'],
      [router, 'lan0'],
      [router, 'lo'],
      [lan, 'eth0'],
      [lan, 'lo'],
    ] as const)
      run('ip', '-n', ns, 'link', 'set', dev, 'up');
    run('ip', '-n', lan, 'route', 'add', 'default', 'via', `10.${n}.0.1`);
    // The LAN is unreachable from here, and says so at once: a packet for it must never take this machine's
    // default route out to a real network.
    run('ip', 'route', 'add', 'unreachable', `10.${n}.0.0/24`);
    inRouter('sysctl', '-qw', 'net.ipv4.ip_forward=1');
    inRouter('iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE');
  } catch (error) {
    nat.destroy();
    throw error;
  }
  return nat;
}
