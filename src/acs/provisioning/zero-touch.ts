import { randomBytes, randomInt } from 'node:crypto';
import { formatDateTime } from '../../cwmp/index.ts';
import { Secret } from '../../store/secret.ts';
import type { TaskArgs } from '../../store/task-args.ts';

/** The built-in preset every device gets on 0 BOOTSTRAP (issue: zero-touch bootstrap). */
export interface ZeroTouchSettings {
  /** PeriodicInformInterval to set, in seconds. */
  periodicInformInterval: number;
  /** Give the device random connection-request credentials of its own (kept encrypted by the ACS). */
  connectionRequestCredentials: boolean;
  /**
   * Move a device that came in on a shared bootstrap credential to an ACS credential of its own
   * (ManagementServer.Username/Password, random, kept encrypted once the device accepts them). Default false.
   */
  acsCredentials?: boolean;
  /**
   * The ACS runs a STUN server (TR-111): devices that have STUN get it turned on, pointed at this server, with
   * their own ACS credential as their STUN credential where they have one, and active notification on their
   * UDPConnectionRequestAddress.
   */
  stun?: ZeroTouchStun;
  /**
   * The ACS's own JID (it sends XMPP connection requests): devices that have ConnReqAllowedJabberIDs get it there,
   * bare (any resource of the ACS's account), so that they accept its requests and no one else's.
   */
  xmppJid?: string;
}

export interface ZeroTouchStun {
  /** STUNServerAddress; '' tells the device to use its ACS's host. */
  serverAddress: string;
  serverPort: number;
  /** STUNMinimumKeepAlivePeriod, seconds; default 30 (NAT UDP mappings commonly last 30 s to a few minutes). */
  minimumKeepAliveSeconds?: number;
}

export const DEFAULT_ZERO_TOUCH: Readonly<ZeroTouchSettings> = Object.freeze({
  periodicInformInterval: 3600,
  connectionRequestCredentials: true,
  acsCredentials: false,
});

/** A username and password the ACS made up for one device. */
export interface IssuedCredential {
  username: string;
  password: Secret;
}

export interface ZeroTouchPlan {
  args: Extract<TaskArgs, { type: 'setParameterValues' }>;
  /** Stored once the device has accepted them (a failed SetParameterValues must not leave them half set). */
  connectionRequest: IssuedCredential | null;
  /** The device's own ACS credential (ManagementServer.Username/Password), stored once it accepts it. */
  acs: IssuedCredential | null;
}

/** 96 random bits of username (in clear at rest: the ACS finds a device by it) and 192 of password. */
function issue(prefix: string): IssuedCredential {
  return {
    username: `${prefix}-${randomBytes(12).toString('hex')}`,
    password: new Secret(randomBytes(24).toString('base64url')),
  };
}

/**
 * One SetParameterValues: periodic informs on, the interval, a per-device random PeriodicInformTime (so a fleet
 * that boots together does not inform in step), random connection-request credentials and, when `acsCredential`
 * (the device is on a shared bootstrap credential), a random ACS credential of its own.
 */
export function zeroTouchPlan(
  root: string,
  settings: ZeroTouchSettings,
  acsCredential = false,
): ZeroTouchPlan {
  const ms = `${root}ManagementServer.`;
  const interval = settings.periodicInformInterval;
  // Any instant works as the phase reference; a random one within one interval spreads the fleet evenly.
  const phase = new Date(Date.UTC(2000, 0, 1) + randomInt(Math.max(1, interval)) * 1000);
  const parameters: Extract<TaskArgs, { type: 'setParameterValues' }>['parameters'] = [
    { name: `${ms}PeriodicInformEnable`, value: 'true', type: 'boolean' },
    { name: `${ms}PeriodicInformInterval`, value: String(interval), type: 'unsignedInt' },
    { name: `${ms}PeriodicInformTime`, value: formatDateTime(phase), type: 'dateTime' },
  ];
  let connectionRequest: IssuedCredential | null = null;
  if (settings.connectionRequestCredentials) {
    connectionRequest = issue('cr');
    parameters.push(
      { name: `${ms}ConnectionRequestUsername`, value: connectionRequest.username, type: 'string' },
      { name: `${ms}ConnectionRequestPassword`, value: connectionRequest.password, type: 'string' },
    );
  }
  let acs: IssuedCredential | null = null;
  if (acsCredential) {
    acs = issue('cpe');
    parameters.push(
      { name: `${ms}Username`, value: acs.username, type: 'string' },
      { name: `${ms}Password`, value: acs.password, type: 'string' },
    );
  }
  return {
    args: { type: 'setParameterValues', parameters, parameterKey: 'corral-zero-touch' },
    connectionRequest,
    acs,
  };
}

/**
 * STUN on, for a device that has it: the server, the keep-alive, its own ACS credential as its STUN credential
 * when the ACS keeps one (the STUN server then knows which device a binding is), and active notification on its
 * UDPConnectionRequestAddress, so a new mapping reaches the ACS even without STUN credentials.
 */
export function zeroTouchStunTasks(
  root: string,
  stun: ZeroTouchStun,
  credential: { username: string; password: Secret } | null,
): TaskArgs[] {
  const ms = `${root}ManagementServer.`;
  const parameters: Extract<TaskArgs, { type: 'setParameterValues' }>['parameters'] = [
    { name: `${ms}STUNEnable`, value: 'true', type: 'boolean' },
    { name: `${ms}STUNServerAddress`, value: stun.serverAddress, type: 'string' },
    { name: `${ms}STUNServerPort`, value: String(stun.serverPort), type: 'unsignedInt' },
    {
      name: `${ms}STUNMinimumKeepAlivePeriod`,
      value: String(stun.minimumKeepAliveSeconds ?? 30),
      type: 'unsignedInt',
    },
  ];
  if (credential !== null) {
    parameters.push(
      { name: `${ms}STUNUsername`, value: credential.username, type: 'string' },
      { name: `${ms}STUNPassword`, value: credential.password, type: 'string' },
    );
  }
  return [
    { type: 'setParameterValues', parameters, parameterKey: 'corral-zero-touch-stun' },
    {
      type: 'setParameterAttributes',
      parameters: [
        {
          name: `${ms}UDPConnectionRequestAddress`,
          notificationChange: true,
          notification: 2,
          accessListChange: false,
          accessList: [],
        },
      ],
    },
  ];
}

/** ConnReqAllowedJabberIDs: the ACS's bare JID, so the device accepts XMPP connection requests from it alone. */
export function zeroTouchXmppTask(root: string, acsJid: string): TaskArgs {
  const bare = acsJid.split('/')[0] ?? acsJid;
  return {
    type: 'setParameterValues',
    parameters: [
      { name: `${root}ManagementServer.ConnReqAllowedJabberIDs`, value: bare, type: 'string' },
    ],
    parameterKey: 'corral-zero-touch-xmpp',
  };
}
