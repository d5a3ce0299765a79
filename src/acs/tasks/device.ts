import type { TaskArgs } from '../../store/task-args.ts';
import type { TaskHandler } from './handler.ts';
import { done, singleRpc } from './single-rpc.ts';

type Args<T extends TaskArgs['type']> = Extract<TaskArgs, { type: T }>;

/** The device reboots after the session; its next Inform carries 1 BOOT and M Reboot with this CommandKey. */
export const reboot: TaskHandler<Args<'reboot'>> = singleRpc(
  (args) => ({ method: 'Reboot', CommandKey: args.commandKey }),
  (args) => done({ commandKey: args.commandKey }),
);

/** The device resets after the session; its next Inform carries 0 BOOTSTRAP and 1 BOOT. */
export const factoryReset: TaskHandler<Args<'factoryReset'>> = singleRpc(
  () => ({ method: 'FactoryReset' }),
  () => done(),
);

export const scheduleInform: TaskHandler<Args<'scheduleInform'>> = singleRpc(
  (args) => ({
    method: 'ScheduleInform',
    DelaySeconds: args.delaySeconds,
    CommandKey: args.commandKey,
  }),
  (args) => done({ commandKey: args.commandKey }),
);

export const getRPCMethods: TaskHandler<Args<'getRPCMethods'>> = singleRpc(
  () => ({ method: 'GetRPCMethods' }),
  (_args, response) => done({ methods: response.MethodList }),
);

export const getOptions: TaskHandler<Args<'getOptions'>> = singleRpc(
  (args) => ({ method: 'GetOptions', OptionName: args.optionName }),
  (_args, response) => done({ options: response.OptionList }),
);

export const setVouchers: TaskHandler<Args<'setVouchers'>> = singleRpc(
  (args) => ({ method: 'SetVouchers', VoucherList: args.voucherList }),
  () => done(),
);
