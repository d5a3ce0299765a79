/** "Run any task": each task type with a starting body the operator edits (src/api/schemas/task-input.ts). */
export const TASK_TEMPLATES: Record<string, unknown> = {
  refresh: { path: '' },
  getParameterValues: { parameterNames: ['Device.DeviceInfo.'] },
  setParameterValues: { parameters: [{ name: 'Device.', value: '' }] },
  getParameterNames: { parameterPath: 'Device.', nextLevel: true },
  getParameterAttributes: { parameterNames: ['Device.DeviceInfo.'] },
  setParameterAttributes: { parameters: [{ name: 'Device.', notification: 2 }] },
  addObject: { objectName: 'Device.' },
  deleteObject: { objectName: 'Device.' },
  reboot: {},
  factoryReset: {},
  download: { fileId: '', fileType: '1 Firmware Upgrade Image' },
  upload: { fileType: '1 Vendor Configuration File' },
  scheduleInform: { delaySeconds: 5 },
  scheduleDownload: {
    fileId: '',
    fileType: '1 Firmware Upgrade Image',
    timeWindows: [{ windowStart: 0, windowEnd: 3600, windowMode: '1 At Any Time' }],
  },
  cancelTransfer: { commandKey: '' },
  changeDUState: { operations: [{ operation: 'install', url: 'http://' }] },
  getQueuedTransfers: {},
  getAllQueuedTransfers: {},
  getRPCMethods: {},
  getOptions: { optionName: '' },
  setVouchers: { voucherList: [] },
};

export interface TaskView {
  id: number;
  deviceId: string;
  type: string;
  args: unknown;
  state: string;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  attempts: number;
  result: unknown;
  fault: {
    source: string;
    code: number | null;
    message: string;
    at: number;
    permanent: boolean;
  } | null;
  finishedAt: number | null;
}

export interface TaskOutcome {
  task: TaskView;
  connectionRequest?: { ok: boolean; reason?: string; detail?: string };
}

export const FINISHED = new Set(['done', 'failed', 'cancelled']);

export function connectionRequestText(o: TaskOutcome): string {
  const cr = o.connectionRequest;
  if (cr === undefined) return '';
  if (cr.ok) return 'connection request sent';
  return `connection request failed: ${cr.reason ?? 'unknown'}${cr.detail ? ` (${cr.detail})` : ''}`;
}
