import assert from 'node:assert/strict';
import childProcess from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { TASK_TYPES } from '../store/task-args.ts';
import { MAX_BODY_BYTES } from './api.ts';
import { Harness, type Json } from './testing/harness.ts';

let h: Harness;
let deviceId: string;

before(async () => {
  h = await Harness.start();
  deviceId = (await h.informDevice('hostile-1')).id;
});
after(() => h.close());

const tasksPath = () => `/api/v1/devices/${deviceId}/tasks`;

describe('hostile input', () => {
  it('refuses a body over the cap with 413', async () => {
    const big = JSON.stringify({
      type: 'getParameterValues',
      parameterNames: ['x'.repeat(MAX_BODY_BYTES)],
    });
    const reply = await h.request('POST', tasksPath(), { raw: big });
    assert.equal(reply.status, 413);
    assert.equal(reply.json.error.code, 'body-too-large');
  });

  it('answers malformed JSON with 400 and a fixed message that echoes nothing', async () => {
    const secret = 'half-typed-password-55';
    for (const raw of [
      `{"type":"download","password":"${secret}`,
      `{"type":"reboot",}`,
      `{"__proto__":{"polluted":"${secret}"},"type":"reboot"}`,
      `{"constructor":{"prototype":{"polluted":"${secret}"}},"type":"reboot"}`,
    ]) {
      const reply = await h.request('POST', tasksPath(), { raw });
      assert.equal(reply.status, 400, raw);
      assert.equal(reply.json.error.code, 'malformed-json', raw);
      assert.equal(reply.json.error.message, 'the body is not valid JSON');
      assert.ok(!reply.text.includes(secret));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses a body that is not application/json (415), and reads an empty JSON body as none', async () => {
    const plain = await h.request('POST', tasksPath(), {
      raw: '{"type":"reboot"}',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(plain.status, 415);
    assert.equal(plain.json.error.code, 'unsupported-media-type');
    const form = await h.request('POST', tasksPath(), {
      raw: 'type=reboot',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415);
    const empty = await h.request('POST', tasksPath(), { raw: '' });
    assert.equal(empty.status, 400);
    assert.equal(empty.json.error.field, 'body');
  });

  it('keeps shell metacharacters inert: they are data, and no process is ever spawned', async () => {
    const spies = (
      ['spawn', 'exec', 'execFile', 'fork', 'spawnSync', 'execSync', 'execFileSync'] as const
    ).map((name) => mock.method(childProcess, name));
    // Named ESM imports of node:child_process see the spies too.
    syncBuiltinESMExports();
    try {
      const payloads = [
        ';id',
        '$(id)',
        '`id`',
        'a\nid',
        '|id',
        '&& id',
        "'; DROP TABLE tasks; --",
        '../../etc/passwd',
      ];
      for (const p of payloads) {
        const task = await h.request('POST', tasksPath(), {
          body: {
            type: 'download',
            fileType: p,
            url: `http://127.0.0.1:9/${p}`,
            username: p,
            password: p,
          },
        });
        assert.equal(task.status, 202, task.text);
        assert.equal(task.json.task.args.fileType, p);
        const spv = await h.request('POST', tasksPath(), {
          // Forced past the data-model check (no such name): the point is that it is stored as inert data.
          body: {
            type: 'setParameterValues',
            parameters: [{ name: `Device.${p}`, value: p }],
            force: true,
          },
        });
        assert.equal(spv.status, 202);
        const tags = await h.request('POST', `/api/v1/devices/${deviceId}/tags`, {
          body: { tags: [p] },
        });
        assert.equal(tags.status, 200);
        assert.ok(tags.json.tags.includes(p));
        const filtered = await h.request(
          'GET',
          `/api/v1/devices?filter=${encodeURIComponent(JSON.stringify([{ kind: 'field', field: 'serialNumber', op: 'eq', value: p }]))}`,
        );
        assert.equal(filtered.status, 200);
        assert.equal(filtered.json.total, 0);
        const path = await h.request('GET', `/api/v1/devices/${encodeURIComponent(p)}`);
        assert.ok([400, 404].includes(path.status), `${p}: ${path.status}`);
        const bootstrap = await h.request(
          'PUT',
          `/api/v1/bootstrap-credentials/${encodeURIComponent(p)}`,
          {
            body: { password: p, allow: { serialPattern: p } },
          },
        );
        assert.ok([200, 404].includes(bootstrap.status), `${p}: ${bootstrap.status}`);
      }
      // The store is intact: the device is still there with its tasks.
      const tasks = await h.request('GET', `/api/v1/tasks?deviceId=${deviceId}&limit=1000`);
      assert.ok(tasks.json.tasks.length >= payloads.length * 2);
      for (const spy of spies) assert.equal(spy.mock.callCount(), 0, 'a process was spawned');
    } finally {
      mock.restoreAll();
      syncBuiltinESMExports();
    }
  });

  it('has no way to a shell: nothing under src/api imports child_process', () => {
    const dir = import.meta.dirname;
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    assert.ok(files.length > 10);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.ok(!/child_process|\beval\(|new Function\(/.test(text), file);
    }
  });
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document with every route, its role and its security', async () => {
    const reply = await h.request('GET', '/openapi.json', { token: h.tokens['read-only'] });
    assert.equal(reply.status, 200);
    const doc = reply.json;
    assert.equal(doc.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2)?.slice(0, 2000));

    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    for (const route of h.api.routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      assert.ok(documented.has(`${route.method} ${path}`), `${route.method} ${path} undocumented`);
      const op = doc.paths[path][route.method.toLowerCase()];
      assert.match(op.description, new RegExp(`Requires role ${route.role}`));
      assert.ok(op.responses['401'], `${route.method} ${path} documents no 401`);
    }
    // Beyond the routes with a role, only POST /api/v1/login is documented: open to all, and saying so.
    const open = [...documented].filter(
      (op) => !h.api.routes.some((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}` === op),
    );
    assert.deepEqual(open, ['POST /api/v1/login']);
    assert.deepEqual(doc.paths['/api/v1/login'].post.security, []);
    assert.deepEqual(doc.security, [{ bearer: [] }, { apiKey: [] }]);

    // The task body documents every task type, one schema per type.
    const create = doc.paths['/api/v1/devices/{deviceId}/tasks'].post;
    const schema = create.requestBody.content['application/json'].schema;
    assert.equal(schema.discriminator.propertyName, 'type');
    assert.deepEqual(
      schema.oneOf
        .map((v: { properties: { type: { enum: string[] } } }) => v.properties.type.enum[0])
        .sort(),
      [...TASK_TYPES].sort(),
    );
  });
});
