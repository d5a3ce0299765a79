import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSWASMModule,
  RELEASE_SYNC,
} from 'quickjs-emscripten';

/**
 * The QuickJS WebAssembly modules the runner uses: one per memory cap, loaded once (≈6 ms) and shared by
 * runs, each of which gets a fresh runtime and context (≈0.13 ms). Runs never overlap inside a module: a run is
 * synchronous once it has its module.
 *
 * Why the module's own memory is capped: with the prebuilt wasm, QuickJS's `setMemoryLimit` bounds a single
 * allocation but not a runtime's total (the build has no `malloc_usable_size`, so every allocation is counted
 * as 8 bytes; upstream quickjs-emscripten issues #255 and #271). A script pushing small arrays in a loop was
 * measured here reaching 1.4 GB under a "16 MiB" limit. The build imports its memory, so each module is given a
 * `WebAssembly.Memory` whose maximum is the build's 16 MiB start plus the run's memory budget: when that is
 * full, malloc fails inside the sandbox and the script gets QuickJS's own out-of-memory error.
 *
 * A module that trapped (a host stack overflow inside wasm, an engine abort) or ran out of memory is retired and
 * never used again; the next run loads a new one.
 */

// @types/node 20 does not declare the WebAssembly namespace; this is the one constructor used here.
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum: number }) => object;
};

const PAGE = 64 * 1024;
/** The prebuilt variants start with 16 MiB of linear memory (their INITIAL_MEMORY). */
const INITIAL_BYTES = 16 * 1024 * 1024;
/** Distinct memory caps kept loaded at once; callers normally use one. */
const MAX_CACHED = 4;

const modules = new Map<number, Promise<QuickJSWASMModule>>();
const retired = new WeakSet<QuickJSWASMModule>();

export interface PooledModule {
  module: QuickJSWASMModule;
  /** Never use this module again. */
  retire(): void;
}

/**
 * V8 compiles wasm functions lazily on first call, so a new module's first runs took 15-45 ms here: long enough
 * to push an innocent script past a 50 ms budget. A new module is therefore exercised before its first run.
 */
const WARM_UP = `
  const o = JSON.parse('{"a":[1,2,3],"b":"x"}');
  let s = JSON.stringify(o) + String(new Date(0).getTime()) + Math.random();
  for (let i = 0; i < 200; i++) s = (s + i).slice(-64).replace(/[0-9]+/g, 'n');
  const m = new Map(Object.entries(o)); [3, 1, 2].sort().map((x) => x * 2).filter(Boolean);
  try { throw new TypeError(s) } catch (e) { String(e) } Object.freeze({ m });
`;

async function load(maximumPages: number): Promise<QuickJSWASMModule> {
  const memory = new WebAssembly.Memory({ initial: INITIAL_BYTES / PAGE, maximum: maximumPages });
  const module = await newQuickJSWASMModuleFromVariant(
    newVariant(RELEASE_SYNC, { wasmMemory: memory }),
  );
  for (let i = 0; i < 3; i++) {
    const rt = module.newRuntime();
    const ctx = rt.newContext();
    const result = ctx.evalCode(WARM_UP, 'warm-up.js', { strict: true });
    (result.error ?? result.value).dispose();
    ctx.dispose();
    rt.dispose();
  }
  return module;
}

export async function acquireModule(memoryBytes: number): Promise<PooledModule> {
  const pages = Math.ceil((INITIAL_BYTES + memoryBytes) / PAGE);
  for (;;) {
    let pending = modules.get(pages);
    if (pending === undefined) {
      if (modules.size >= MAX_CACHED) {
        const oldest = modules.keys().next().value;
        if (oldest !== undefined) modules.delete(oldest);
      }
      pending = load(pages);
      modules.set(pages, pending);
      const loading = pending;
      loading.catch(() => {
        if (modules.get(pages) === loading) modules.delete(pages);
      });
    }
    const module = await pending;
    // Another run may have retired this module while this one awaited it.
    if (retired.has(module)) continue;
    return {
      module,
      retire() {
        retired.add(module);
        if (modules.get(pages) === pending) modules.delete(pages);
      },
    };
  }
}
