export { formatValue, valuesEqual } from './compare.ts';
export { describePlan, planToJson } from './describe.ts';
export { instanceId, type MergedDeclarations, mergePresets, parameterKeyOf } from './merge.ts';
export { neededPaths } from './needed-paths.ts';
export * from './plan.ts';
export { SOFTWARE_RETRY_MS, type SoftwareTransfer } from './plan-software.ts';
export * from './precondition.ts';
export * from './preset.ts';
export * from './scripts.ts';
