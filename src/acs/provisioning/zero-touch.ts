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
}

export const DEFAULT_ZERO_TOUCH: Readonly<ZeroTouchSettings> = Object.freeze({
  periodicInformInterval: 3600,
  connectionRequestCredentials: true,
});

export interface ZeroTouchPlan {
  args: Extract<TaskArgs, { type: 'setParameterValues' }>;
  /** Stored once the device has accepted them (a failed SetParameterValues must not leave them half set). */
  connectionRequest: { username: string; password: Secret } | null;
}

/**
 * One SetParameterValues: periodic informs on, the interval, a per-device random PeriodicInformTime (so a fleet
 * that boots together does not inform in step), and random connection-request credentials.
 */
export function zeroTouchPlan(root: string, settings: ZeroTouchSettings): ZeroTouchPlan {
  const ms = `${root}ManagementServer.`;
  const interval = settings.periodicInformInterval;
  // Any instant works as the phase reference; a random one within one interval spreads the fleet evenly.
  const phase = new Date(Date.UTC(2000, 0, 1) + randomInt(Math.max(1, interval)) * 1000);
  const parameters: Extract<TaskArgs, { type: 'setParameterValues' }>['parameters'] = [
    { name: `${ms}PeriodicInformEnable`, value: 'true', type: 'boolean' },
    { name: `${ms}PeriodicInformInterval`, value: String(interval), type: 'unsignedInt' },
    { name: `${ms}PeriodicInformTime`, value: formatDateTime(phase), type: 'dateTime' },
  ];
  let connectionRequest: ZeroTouchPlan['connectionRequest'] = null;
  if (settings.connectionRequestCredentials) {
    connectionRequest = {
      username: `cr-${randomBytes(6).toString('hex')}`,
      password: new Secret(randomBytes(18).toString('base64url')),
    };
    parameters.push(
      { name: `${ms}ConnectionRequestUsername`, value: connectionRequest.username, type: 'string' },
      { name: `${ms}ConnectionRequestPassword`, value: connectionRequest.password, type: 'string' },
    );
  }
  return {
    args: { type: 'setParameterValues', parameters, parameterKey: 'corral-zero-touch' },
    connectionRequest,
  };
}
