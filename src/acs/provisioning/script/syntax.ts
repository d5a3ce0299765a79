import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { acquireModule } from './engine-pool.ts';
import { DEFAULT_SCRIPT_LIMITS } from './types.ts';

const MAX_MESSAGE = 300;

function describeError(ctx: QuickJSContext, handle: QuickJSHandle): string {
  const field = (key: string) => {
    const h = ctx.getProp(handle, key);
    try {
      return ctx.typeof(h) === 'string' ? ctx.getString(h) : '';
    } finally {
      h.dispose();
    }
  };
  const name = field('name');
  const text = `${name === '' ? '' : `${name}: `}${field('message')}`.replace(
    /[\p{Cc}\p{Cf}]+/gu,
    ' ',
  );
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/**
 * Whether a preset script parses, checked by the sandbox's own compiler (compile only: nothing of the script
 * runs). Null when it does; else QuickJS's message, bounded and printable, for the operator saving it.
 */
export async function scriptSyntaxError(source: string): Promise<string | null> {
  const pooled = await acquireModule(DEFAULT_SCRIPT_LIMITS.memoryBytes);
  let rt: QuickJSRuntime | undefined;
  let ctx: QuickJSContext | undefined;
  try {
    rt = pooled.module.newRuntime();
    rt.setMemoryLimit(DEFAULT_SCRIPT_LIMITS.memoryBytes);
    rt.setMaxStackSize(DEFAULT_SCRIPT_LIMITS.maxStackBytes);
    ctx = rt.newContext();
    const result = ctx.evalCode(source, 'preset.js', { strict: true, compileOnly: true });
    if (result.error === undefined) {
      result.value.dispose();
      return null;
    }
    const message = describeError(ctx, result.error);
    result.error.dispose();
    return message;
  } catch {
    // The engine itself failed (a host stack overflow inside wasm): the module is dropped untouched.
    pooled.retire();
    rt = ctx = undefined;
    return 'the script could not be compiled';
  } finally {
    ctx?.dispose();
    rt?.dispose();
  }
}
