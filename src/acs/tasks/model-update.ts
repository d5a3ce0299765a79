import type { CompleteInput } from '../../store/tasks.ts';

/**
 * What a task learnt about the device, in the store's terms (applied in the transaction that records the
 * task's result), plus the ParameterKey, whose full path depends on the device's root object.
 */
export type ModelUpdate = NonNullable<CompleteInput['model']> & {
  /** The ParameterKey the device now reports (TR-069: set only by a successful SPV/AddObject/DeleteObject). */
  parameterKey?: string;
};
