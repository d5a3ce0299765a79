import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPresetScript, type ScriptFailureReason } from './index.ts';
import { ok, sampleInput } from './testing.ts';

const NORMAL = `declare.value('Device.ManagementServer.PeriodicInformInterval', 300); log(device.value('Device.DeviceInfo.SoftwareVersion'));`;

/** After every attack: the host is untouched and an ordinary script still runs. */
async function assertHealthy(): Promise<void> {
  assert.equal(typeof process.exit, 'function');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  assert.equal(Array.prototype.push.name, 'push');
  assert.equal(typeof Math.random(), 'number');
  assert.ok(Math.abs(Date.now() - performance.timeOrigin - performance.now()) < 1000);
  const r = ok(await runPresetScript(NORMAL, sampleInput()));
  assert.deepEqual(r.declarations.values, [
    { path: 'Device.ManagementServer.PeriodicInformInterval', value: 300 },
  ]);
  assert.deepEqual(r.logs, ['2.1.0']);
}

/**
 * Limits for attacks whose point is memory or the stack, not time: a loaded CI machine once took
 * more than the default 50 ms of CPU to build a 100,000-deep object before overflowing on it.
 */
const SLOW_MACHINE = { timeoutMs: 5000, wallTimeoutMs: 20000 };

async function refused(source: string, reason: ScriptFailureReason, message?: RegExp, limits = {}) {
  const r = await runPresetScript(source, sampleInput(), limits);
  assert.equal(r.ok, false, `not refused: ${source}`);
  if (!r.ok) {
    assert.equal(r.reason, reason, `${source}: ${r.message}`);
    if (message) assert.match(r.message, message);
    assert.doesNotMatch(r.message, /\/work\/|node_modules|hunter2|tok-123/);
  }
  await assertHealthy();
}

/** Runs `probe` (an expression) and returns what the script could see of it, as logged text. */
async function seen(probe: string): Promise<string> {
  const r = ok(
    await runPresetScript(
      `let out; try { out = String(${probe}); } catch (e) { out = 'threw ' + e.name; } log(out);`,
      sampleInput(),
    ),
  );
  await assertHealthy();
  return r.logs[0] ?? '';
}

describe('preset script sandbox: nothing of the host is reachable', () => {
  it('process, require, module, fetch, timers, Buffer and friends do not exist', async () => {
    for (const name of [
      'process',
      'require',
      'module',
      'exports',
      '__dirname',
      'fetch',
      'XMLHttpRequest',
      'WebSocket',
      'setTimeout',
      'setInterval',
      'setImmediate',
      'queueMicrotask',
      'Buffer',
      'global',
      'std',
      'os',
      'performance',
      'Deno',
      'Bun',
      'WebAssembly',
      'importScripts',
      'Worker',
      'WeakRef',
      'FinalizationRegistry',
    ]) {
      assert.equal(await seen(`typeof ${name}`), 'undefined', name);
    }
  });

  it('referencing them throws, so the preset faults with "threw"', async () => {
    await refused(`process.exit(1)`, 'threw', /ReferenceError: 'process' is not defined/);
    await refused(`require('node:child_process').execSync('id')`, 'threw', /ReferenceError/);
    await refused(`fetch('http://127.0.0.1/')`, 'threw', /ReferenceError/);
  });

  it('constructor and Function escapes reach only the sandbox', async () => {
    assert.equal(
      await seen(`this.constructor.constructor('return typeof process')()`),
      'undefined',
    );
    assert.equal(await seen(`Function('return this')() === globalThis`), 'true');
    assert.equal(await seen(`(() => {}).constructor('return typeof require')()`), 'undefined');
    assert.equal(await seen(`device.get.constructor('return typeof process')()`), 'undefined');
    assert.equal(
      await seen(`device.constructor.constructor('return Object.keys(globalThis).length')()`),
      '0',
    );
    assert.equal(await seen(`eval('typeof process')`), 'undefined');
    assert.equal(await seen(`(0, eval)('this').process`), 'undefined');
    assert.equal(
      await seen(
        `Object.getOwnPropertyNames(globalThis).filter(n => /process|require|fetch|import/i.test(n)).length`,
      ),
      '0',
    );
    await refused(
      `this.constructor.constructor('return process')().mainModule.require('fs')`,
      'threw',
      /process/,
    );
    await refused(
      `Error.prepareStackTrace = (e, s) => s; new Error().stack[0].getThis().process.exit()`,
      'threw',
    );
  });

  it('import() and import statements load nothing', async () => {
    const dynamic = ok(
      await runPresetScript(
        `import('node:fs').then(() => log('loaded'), (e) => log('refused', e.name)); import('./x.js').catch(() => log('refused 2'));`,
        sampleInput(),
      ),
    );
    assert.deepEqual(dynamic.logs, ['refused ReferenceError', 'refused 2']);
    await refused(`import fs from 'node:fs'; fs.readFileSync('/etc/passwd')`, 'syntax');
    await assertHealthy();
  });

  it('polluting prototypes inside the sandbox touches neither the host nor the input objects', async () => {
    const input = sampleInput();
    const before = structuredClone(input);
    const r = ok(
      await runPresetScript(
        `Object.prototype.polluted = 'yes'; Array.prototype.push = () => 0;
         const p = device.get('Device.DeviceInfo.SoftwareVersion'); p.__proto__.polluted2 = 1; p.value = 'x';
         JSON.parse = () => ({}); Object.defineProperty(Object.prototype, 'toJSON', { value: 1, writable: true });
         declare.value('Device.A', 1);`,
        input,
      ),
    );
    assert.deepEqual(input, before);
    assert.deepEqual(r.declarations.values, [{ path: 'Device.A', value: 1 }]);
    await assertHealthy();
  });

  it('a __proto__ key crossing the boundary stays an ordinary key', async () => {
    const r = ok(
      await runPresetScript(
        `declare.instance('Device.B.', JSON.parse('{"__proto__": 1, "K": 2}'), JSON.parse('{"__proto__": 3}'));`,
        sampleInput(),
      ),
    );
    const inst = r.declarations.instances[0];
    assert.ok(inst);
    assert.equal(Object.getPrototypeOf(inst.keys), Object.prototype);
    assert.deepEqual(Object.keys(inst.keys), ['K', '__proto__']);
    assert.equal(Object.getOwnPropertyDescriptor(inst.keys, '__proto__')?.value, 1);
    await assertHealthy();
  });

  it('the API globals cannot be replaced, and tampering with its internals only yields refused output', async () => {
    assert.equal(
      await seen(`(() => { try { declare = 1 } catch (e) { return e.name } })()`),
      'TypeError',
    );
    assert.equal(await seen(`delete globalThis.device`), 'threw TypeError');
    assert.equal(
      await seen(
        `(() => { try { Math.random = () => 4 } catch (e) {} return Math.random() < 1 })()`,
      ),
      'true',
    );
    await refused(
      `Object.defineProperty(Object.prototype, 'toJSON', { value() { return { op: 'value', path: '/etc/passwd', value: 1 } } }); declare.tag('t')`,
      'invalid-output',
    );
    // A setter on Array.prototype swallows the script's own declarations: it can only harm itself.
    const swallowed = ok(
      await runPresetScript(
        `Object.defineProperty(Array.prototype, '0', { set() {} }); declare.tag('t')`,
        sampleInput(),
      ),
    );
    assert.deepEqual(swallowed.declarations.addTags, []);
  });
});

describe('preset script sandbox: resource attacks fault the preset and nothing else', () => {
  it('an infinite loop times out within a bound', async () => {
    for (const source of [
      'while (true) {}',
      'for (;;) { try { for (;;) {} } catch (e) {} }',
      'function f() { Promise.resolve().then(f) } f()',
      'try { while (true) {} } catch (e) {} declare.tag("after")',
    ]) {
      const started = performance.now();
      await refused(source, 'timeout', /ran longer/);
      assert.ok(performance.now() - started < 1000, `${source} took too long`);
    }
  });

  it('catastrophic regex backtracking times out', async () => {
    await refused(`/(a+)+$/.test('a'.repeat(40) + 'b')`, 'timeout');
  });

  it('memory bombs run out of memory', async () => {
    await refused(
      `const a = []; for (;;) a.push('x'.repeat(1 << 20) + a.length)`,
      'out-of-memory',
      /out of memory/,
      SLOW_MACHINE,
    );
    await refused(`new ArrayBuffer(256 * 1024 * 1024)`, 'out-of-memory', undefined, SLOW_MACHINE);
    await refused(
      `let s = 'ab'; for (let i = 0; i < 40; i++) s += s; s.split('')`,
      'out-of-memory',
      undefined,
      SLOW_MACHINE,
    );
    // Many small allocations: QuickJS's own limit miscounts these; the capped wasm memory stops them.
    await refused(
      `const a = []; for (;;) a.push(new Array(1000).fill(1))`,
      'out-of-memory',
      undefined,
      SLOW_MACHINE,
    );
    // Catching the out-of-memory error does not let the script keep the memory.
    const caught = await runPresetScript(
      `let a = []; try { for (;;) a.push('y'.repeat(1 << 16) + a.length) } catch (e) { a = null; log(String(e)) } declare.tag('survived')`,
      sampleInput(),
      SLOW_MACHINE,
    );
    assert.deepEqual(ok(caught).declarations.addTags, ['survived']);
    await assertHealthy();
  });

  it('deep recursion overflows the sandbox stack, not the host', async () => {
    for (const source of [
      `function f(n) { return f(n + 1) + 1 } f(0)`,
      `function g(n) { return [n].map((x) => g(x + 1)) } g(0)`,
      `let o = {}; for (let i = 0; i < 100000; i++) o = { a: o }; JSON.stringify(o)`,
      `eval('('.repeat(50000) + '1' + ')'.repeat(50000))`,
    ]) {
      await refused(source, 'out-of-memory', /stack/, SLOW_MACHINE);
    }
  });

  it('huge output is refused', async () => {
    await refused(
      `declare.value('Device.A', 'x'.repeat(1 << 20))`,
      'invalid-output',
      /longer than/,
    );
    await refused(
      `for (let i = 0; i < 200; i++) declare.value('Device.A' + i, 'x'.repeat(16000))`,
      'invalid-output',
      /output is longer/,
      { maxOutputLength: 1 << 20 },
    );
  });

  it('thousands of declarations are refused at the limit', async () => {
    await refused(
      `for (let i = 0; i < 5000; i++) declare.tag('t' + i)`,
      'threw',
      /too many declarations \(at most 1000\)/,
    );
    const justUnder = ok(
      await runPresetScript(`for (let i = 0; i < 1000; i++) declare.tag('t' + i)`, sampleInput()),
    );
    assert.equal(justUnder.declarations.addTags.length, 1000);
  });

  it('many attacks in a row leave the host and later scripts fine', async () => {
    for (let i = 0; i < 5; i++) {
      await refused(
        `const a = []; for (;;) a.push('x'.repeat(1 << 20) + a.length)`,
        'out-of-memory',
      );
      await refused(`function f() { f() } f()`, 'out-of-memory');
      await refused(`while (true) {}`, 'timeout');
    }
  });
});
