import {
  factoryReset,
  getOptions,
  getRPCMethods,
  reboot,
  scheduleInform,
  setVouchers,
} from './device.ts';
import type { TaskHandlers } from './handler.ts';
import { addObject, deleteObject } from './objects.ts';
import {
  getParameterAttributes,
  getParameterNames,
  getParameterValues,
  setParameterAttributes,
  setParameterValues,
} from './parameters.ts';
import { refresh } from './refresh.ts';
import { changeDUState } from './software.ts';
import {
  cancelTransfer,
  download,
  getAllQueuedTransfers,
  getQueuedTransfers,
  scheduleDownload,
  upload,
} from './transfers.ts';

export type {
  AcsRequest,
  CpeFault,
  TaskHandler,
  TaskState,
  TaskStep,
} from './handler.ts';
export { responseMethodOf } from './handler.ts';
export type { ModelUpdate } from './model-update.ts';

/** Every task type's handler: the compiler checks that none is missing. */
export const TASK_HANDLERS: TaskHandlers = {
  getParameterValues,
  setParameterValues,
  getParameterNames,
  getParameterAttributes,
  setParameterAttributes,
  addObject,
  deleteObject,
  reboot,
  factoryReset,
  download,
  scheduleDownload,
  upload,
  scheduleInform,
  cancelTransfer,
  changeDUState,
  getQueuedTransfers,
  getAllQueuedTransfers,
  getRPCMethods,
  getOptions,
  setVouchers,
  refresh,
};
