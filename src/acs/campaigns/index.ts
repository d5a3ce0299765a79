/**
 * Firmware campaigns (issue #5 §5, security.md item 12): the definition and its validation, stage planning,
 * maintenance windows, stop rules, the device set, what counts as success, the operator's controls and the
 * runner that moves campaigns along.
 */
export * from './connection-request.ts';
export * from './control.ts';
export * from './definition.ts';
export * from './device-set.ts';
export * from './errors.ts';
export * from './outcome.ts';
export * from './runner.ts';
export * from './stages.ts';
export * from './stop-rules.ts';
export * from './transfer-args.ts';
export * from './windows.ts';
