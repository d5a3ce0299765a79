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
