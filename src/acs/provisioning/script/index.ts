/**
 * Preset scripts: JavaScript run in a QuickJS (WebAssembly) sandbox with time, memory, stack and output limits
 * and no I/O, declaring desired state as plain data. See prelude.ts for the API a script sees.
 */
export { seedToUint32 } from './input.ts';
export { runPresetScript } from './run.ts';
export { scriptSyntaxError } from './syntax.ts';
export * from './types.ts';
