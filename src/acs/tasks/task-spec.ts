import type { DeploymentUnitOperation } from '../../cwmp/index.ts';

/**
 * What an operator asks of a device: one task type per RPC the ACS can call (TR-069 Annex A.3.2, A.4.1), plus
 * `refresh`, which rediscovers a subtree. Stored with the task and replayed after a restart, so plain data only.
 */
export type TaskSpec =
  | { type: 'getParameterValues'; parameterNames: string[] }
  | {
      type: 'setParameterValues';
      parameterValues: Array<{ name: string; value: string; type?: string }>;
      parameterKey?: string;
    }
  | { type: 'getParameterNames'; parameterPath: string; nextLevel: boolean }
  | { type: 'getParameterAttributes'; parameterNames: string[] }
  | {
      type: 'setParameterAttributes';
      parameters: Array<{ name: string; notification?: number; accessList?: string[] }>;
    }
  | { type: 'addObject'; objectName: string; parameterKey?: string }
  | { type: 'deleteObject'; objectName: string; parameterKey?: string }
  | { type: 'reboot'; commandKey?: string }
  | { type: 'factoryReset' }
  | { type: 'download'; transfer: DownloadSpec }
  | { type: 'scheduleDownload'; transfer: DownloadSpec; timeWindows: TimeWindowSpec[] }
  | {
      type: 'upload';
      commandKey?: string;
      fileType: string;
      url: string;
      username?: string;
      password?: string;
      delaySeconds?: number;
    }
  | { type: 'scheduleInform'; delaySeconds: number; commandKey?: string }
  | { type: 'cancelTransfer'; commandKey: string }
  | { type: 'changeDUState'; operations: DeploymentUnitOperation[]; commandKey?: string }
  | { type: 'getQueuedTransfers' }
  | { type: 'getAllQueuedTransfers' }
  | { type: 'getRPCMethods' }
  | { type: 'getOptions'; optionName: string }
  | { type: 'setVouchers'; vouchers: string[] }
  | { type: 'refresh'; path: string };

export type TaskType = TaskSpec['type'];

export interface DownloadSpec {
  commandKey?: string;
  fileType: string;
  url: string;
  username?: string;
  password?: string;
  fileSize?: number;
  targetFileName?: string;
  delaySeconds?: number;
  successUrl?: string;
  failureUrl?: string;
}

export interface TimeWindowSpec {
  windowStart: number;
  windowEnd: number;
  windowMode: string;
  userMessage?: string;
  maxRetries?: number;
}
