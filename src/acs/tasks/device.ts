import { commandKeyFor, type TaskHandler } from './handler.ts';
import { done, singleRpc } from './single-rpc.ts';
import type { TaskSpec } from './task-spec.ts';

type Spec<T extends TaskSpec['type']> = Extract<TaskSpec, { type: T }>;

/** The device reboots after the session; its next Inform carries 1 BOOT and M Reboot with this CommandKey. */
export const reboot: TaskHandler<Spec<'reboot'>> = singleRpc(
  (spec, context) => ({ method: 'Reboot', CommandKey: commandKeyFor(spec.commandKey, context) }),
  (spec, _response, context) => done({ commandKey: commandKeyFor(spec.commandKey, context) }),
);

/** The device resets after the session; its next Inform carries 0 BOOTSTRAP and 1 BOOT. */
export const factoryReset: TaskHandler<Spec<'factoryReset'>> = singleRpc(
  () => ({ method: 'FactoryReset' }),
  () => done(),
);

export const scheduleInform: TaskHandler<Spec<'scheduleInform'>> = singleRpc(
  (spec, context) => ({
    method: 'ScheduleInform',
    DelaySeconds: spec.delaySeconds,
    CommandKey: commandKeyFor(spec.commandKey, context),
  }),
  (spec, _response, context) => done({ commandKey: commandKeyFor(spec.commandKey, context) }),
);

export const getRPCMethods: TaskHandler<Spec<'getRPCMethods'>> = singleRpc(
  () => ({ method: 'GetRPCMethods' }),
  (_spec, response) => done({ methods: response.MethodList }),
);

export const getOptions: TaskHandler<Spec<'getOptions'>> = singleRpc(
  (spec) => ({ method: 'GetOptions', OptionName: spec.optionName }),
  (_spec, response) => done({ options: response.OptionList }),
);

export const setVouchers: TaskHandler<Spec<'setVouchers'>> = singleRpc(
  (spec) => ({ method: 'SetVouchers', VoucherList: spec.vouchers }),
  () => done(),
);
