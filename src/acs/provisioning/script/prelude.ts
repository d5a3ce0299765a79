/**
 * The script API, written in JavaScript and evaluated inside the sandbox before the script. The host calls the
 * function below with the input as one JSON string; it installs the globals and returns `collect(logsOnly)`,
 * which serialises what the script declared and logged into one JSON string. No host function is ever exposed:
 * the only things that cross the boundary are two strings (input in, output out).
 *
 * The checks here give the script author an error at the call site; the host re-validates everything it gets
 * back (validate-output.ts), so a script that tampers with these internals (patching `Array.prototype`,
 * `JSON.stringify`) can at worst produce output that the host refuses.
 *
 * Globals (all non-writable, non-configurable):
 *
 *   device.id                      { manufacturer, oui, productClass, serialNumber }
 *   device.tags / device.events    frozen copies ([{ code, commandKey }])
 *   device.get(path)               { value, type, writable?, valueAt? } (a fresh copy) or undefined
 *   device.value(path)             the value, or undefined
 *   device.list(prefix)            sorted paths starting with prefix
 *   device.hasTag(name) / device.hasEvent(code)
 *   declare.value(path, value, type?)
 *   declare.attributes(path, { notification?, accessList? })
 *   declare.instance(objectPath, keys, values?)
 *   declare.noInstance(objectPath, keys)
 *   declare.fresh(pathOrPrefix, maxAgeSeconds)
 *   declare.tag(name) / declare.untag(name)
 *   now()                          the session time (ms); Date.now() and new Date() give it too
 *   random()                       seeded PRNG in [0, 1); Math.random is the same function
 *   log(message) / console.log(...)
 *
 * WeakRef and FinalizationRegistry are removed (they would let a script observe garbage collection).
 */
export const PRELUDE_SOURCE = `(function (inputJson) {
  'use strict';
  const input = JSON.parse(inputJson);
  const limits = input.limits;
  const params = input.parameters;
  const paths = Object.keys(params).sort();
  const hasOwn = Object.prototype.hasOwnProperty;
  const stringify = JSON.stringify;
  const freeze = Object.freeze;
  const keysOf = Object.keys;
  const RealDate = Date;
  const sessionTime = input.sessionTime;
  const ops = [];
  const logs = [];
  let droppedLogs = 0;

  function fail(what) { throw new TypeError(what); }
  function str(x, what) {
    if (typeof x !== 'string') fail(what + ' must be a string');
    return x;
  }
  function scalar(x, what) {
    if (typeof x === 'string' || typeof x === 'boolean') return x;
    if (typeof x === 'number' && Number.isFinite(x)) return x;
    fail(what + ' must be a string, a finite number or a boolean');
  }
  function record(x, what) {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) fail(what + ' must be an object');
    const out = {};
    const names = keysOf(x);
    if (names.length > 64) fail(what + ' has more than 64 entries');
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      Object.defineProperty(out, name, { value: scalar(x[name], what + '.' + name), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  function push(op) {
    if (ops.length >= limits.maxDeclarations) {
      throw new RangeError('too many declarations (at most ' + limits.maxDeclarations + ')');
    }
    ops[ops.length] = op;
  }
  function copyParam(p) {
    const out = { value: p.value, type: p.type };
    if (p.writable !== undefined) out.writable = p.writable;
    if (p.valueAt !== undefined) out.valueAt = p.valueAt;
    return out;
  }

  const device = freeze({
    id: freeze({
      manufacturer: input.deviceId.manufacturer,
      oui: input.deviceId.oui,
      productClass: input.deviceId.productClass,
      serialNumber: input.deviceId.serialNumber,
    }),
    tags: freeze(input.tags.slice()),
    events: freeze(input.events.map(function (e) { return freeze({ code: e.code, commandKey: e.commandKey }); })),
    get: function get(path) {
      str(path, 'device.get: path');
      return hasOwn.call(params, path) ? copyParam(params[path]) : undefined;
    },
    value: function value(path) {
      str(path, 'device.value: path');
      return hasOwn.call(params, path) ? params[path].value : undefined;
    },
    list: function list(prefix) {
      str(prefix, 'device.list: prefix');
      return paths.filter(function (p) { return p.startsWith(prefix); });
    },
    hasTag: function hasTag(name) { return input.tags.indexOf(str(name, 'device.hasTag: name')) >= 0; },
    hasEvent: function hasEvent(code) {
      str(code, 'device.hasEvent: code');
      return input.events.some(function (e) { return e.code === code; });
    },
  });

  const declare = freeze({
    value: function value(path, v, type) {
      const op = { op: 'value', path: str(path, 'declare.value: path'), value: scalar(v, 'declare.value: value') };
      if (type !== undefined) op.type = str(type, 'declare.value: type');
      push(op);
    },
    attributes: function attributes(path, attrs) {
      str(path, 'declare.attributes: path');
      if (attrs === null || typeof attrs !== 'object') fail('declare.attributes: attributes must be an object');
      const op = { op: 'attributes', path: path };
      const n = attrs.notification;
      if (n !== undefined) {
        if (typeof n !== 'number') fail('declare.attributes: notification must be a number');
        op.notification = n;
      }
      const list = attrs.accessList;
      if (list !== undefined) {
        if (!Array.isArray(list) || list.length > 16) fail('declare.attributes: accessList must be an array of at most 16 strings');
        op.accessList = list.map(function (s) { return str(s, 'declare.attributes: accessList entry'); });
      }
      push(op);
    },
    instance: function instance(object, keys, values) {
      push({
        op: 'instance',
        object: str(object, 'declare.instance: object'),
        keys: record(keys, 'declare.instance: keys'),
        values: values === undefined ? {} : record(values, 'declare.instance: values'),
      });
    },
    noInstance: function noInstance(object, keys) {
      push({ op: 'noInstance', object: str(object, 'declare.noInstance: object'), keys: record(keys, 'declare.noInstance: keys') });
    },
    fresh: function fresh(path, maxAgeSeconds) {
      str(path, 'declare.fresh: path');
      if (typeof maxAgeSeconds !== 'number') fail('declare.fresh: maxAgeSeconds must be a number');
      push({ op: 'fresh', path: path, maxAgeSeconds: maxAgeSeconds });
    },
    tag: function tag(name) { push({ op: 'tag', name: str(name, 'declare.tag: name') }); },
    untag: function untag(name) { push({ op: 'untag', name: str(name, 'declare.untag: name') }); },
  });

  // mulberry32: small, fast, and the same sequence for the same seed on every host.
  let state = input.seed >>> 0;
  function random() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function now() { return sessionTime; }

  function log() {
    let line = '';
    for (let i = 0; i < arguments.length; i++) {
      const a = arguments[i];
      line += (i > 0 ? ' ' : '') + (typeof a === 'string' ? a : String(a));
      if (line.length > limits.maxLogLineLength) break;
    }
    if (logs.length >= limits.maxLogLines) { droppedLogs++; return; }
    logs[logs.length] = line.length > limits.maxLogLineLength ? line.slice(0, limits.maxLogLineLength) + '…' : line;
  }

  // Deterministic time: the only Date reachable from the script answers the session time when asked "now".
  function SessionDate(a, b, c, d, e, f, g) {
    if (!new.target) return new RealDate(sessionTime).toString();
    switch (arguments.length) {
      case 0: return new RealDate(sessionTime);
      case 1: return new RealDate(a);
      default: return new RealDate(a, b, c === undefined ? 1 : c, d || 0, e || 0, f || 0, g || 0);
    }
  }
  Object.defineProperty(SessionDate, 'prototype', { value: RealDate.prototype, writable: false });
  SessionDate.now = now;
  SessionDate.parse = RealDate.parse;
  SessionDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: SessionDate, writable: false, configurable: false });
  RealDate.now = now;

  function define(name, value) {
    Object.defineProperty(globalThis, name, { value: value, writable: false, enumerable: false, configurable: false });
  }
  define('Date', SessionDate);
  Object.defineProperty(Math, 'random', { value: random, writable: false, configurable: false });
  delete globalThis.WeakRef;
  delete globalThis.FinalizationRegistry;
  define('device', device);
  define('declare', declare);
  define('now', now);
  define('random', random);
  define('log', log);
  define('console', freeze({ log: log, info: log, warn: log, error: log }));

  return function collect(logsOnly) {
    return stringify(logsOnly ? { logs: logs, droppedLogs: droppedLogs } : { ops: ops, logs: logs, droppedLogs: droppedLogs });
  };
})`;
