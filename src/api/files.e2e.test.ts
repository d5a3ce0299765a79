import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ScriptedCpe } from '../acs/testing/scripted-cpe.ts';
import type { CwmpMessage } from '../cwmp/index.ts';
import { Harness, serveSession } from './testing/harness.ts';

let h: Harness;

before(async () => {
  h = await Harness.start();
});
after(() => h.close());

const IMAGE = Buffer.concat([
  Buffer.from('CORRAL-FIRMWARE version=2.0.1\n'),
  Buffer.alloc(40_000, 7),
]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function uploadFile(query: string, body: Buffer, token?: string) {
  return h.request('POST', `/api/v1/files?${query}`, {
    raw: body,
    headers: { 'content-type': 'application/octet-stream' },
    ...(token === undefined ? {} : { token }),
  });
}

async function fetchBytes(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(url, init);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** Runs one session in which the CPE accepts every transfer RPC, answering Status 1; returns what it got. */
function transferSession(cpe: ScriptedCpe): Promise<CwmpMessage[]> {
  return serveSession(cpe, ['6 CONNECTION REQUEST'], (request) => {
    const when = {
      Status: 1,
      StartTime: '0001-01-01T00:00:00Z',
      CompleteTime: '0001-01-01T00:00:00Z',
    };
    if (request.method === 'Download') return { method: 'DownloadResponse', ...when };
    if (request.method === 'Upload') return { method: 'UploadResponse', ...when };
    throw new Error(`unexpected ${request.method}`);
  });
}

describe('files through the API', () => {
  let fileId = '';

  it('stores a firmware image streamed as octet-stream, with its checksum and target', async () => {
    const reply = await uploadFile(
      `name=gw-2.0.1.bin&fileType=${encodeURIComponent('1 Firmware Upgrade Image')}&productClass=GW&sha256=${sha(IMAGE)}`,
      IMAGE,
      h.tokens.operator,
    );
    assert.equal(reply.status, 201, reply.text);
    assert.equal(reply.json.size, IMAGE.length);
    assert.equal(reply.json.sha256, sha(IMAGE));
    assert.deepEqual(reply.json.target, { oui: null, productClass: 'GW', softwareVersion: null });
    assert.equal(reply.json.blobId, undefined, 'the blob id is internal');
    fileId = reply.json.id;

    const list = await h.request('GET', '/api/v1/files?productClass=GW', {
      token: h.tokens['read-only'],
    });
    assert.deepEqual(
      list.json.files.map((f: { id: string }) => f.id),
      [fileId],
    );
    assert.equal((await h.request('GET', '/api/v1/files?productClass=Other')).json.files.length, 0);
    const content = await h.request('GET', `/api/v1/files/${fileId}/content`);
    assert.equal(content.status, 200);
    assert.equal(content.headers['content-length'], String(IMAGE.length));
  });

  it('renames a file and changes its target (operator), its bytes unchanged', async () => {
    const changed = await h.request('PATCH', `/api/v1/files/${fileId}`, {
      token: h.tokens.operator,
      body: { name: 'gw-2.0.1-final.bin', target: { productClass: null, oui: '00D09E' } },
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.json.name, 'gw-2.0.1-final.bin');
    assert.deepEqual(changed.json.target, {
      oui: '00D09E',
      productClass: null,
      softwareVersion: null,
    });
    assert.equal(changed.json.sha256, sha(IMAGE));
    const refused = await h.request('PATCH', `/api/v1/files/${fileId}`, {
      token: h.tokens['read-only'],
      body: { name: 'x' },
    });
    assert.equal(refused.status, 403);
    const immutable = await h.request('PATCH', `/api/v1/files/${fileId}`, {
      body: { sha256: 'x' },
    });
    assert.equal(immutable.status, 400);
    assert.equal(
      (await h.request('PATCH', `/api/v1/files/${'f'.repeat(32)}`, { body: {} })).status,
      404,
    );
    const back = await h.request('PATCH', `/api/v1/files/${fileId}`, {
      body: { name: 'gw-2.0.1.bin', target: { oui: null, productClass: 'GW' } },
    });
    assert.deepEqual(back.json.target, { oui: null, productClass: 'GW', softwareVersion: null });
  });

  it('refuses a body whose checksum differs, a bad FileType, JSON, too large — and keeps nothing', async () => {
    const before = (await h.request('GET', '/api/v1/files')).json.files.length;
    const wrongSum = await uploadFile(
      `name=x&fileType=1%20Firmware%20Upgrade%20Image&sha256=${'0'.repeat(64)}`,
      IMAGE,
    );
    assert.equal(wrongSum.status, 400);
    assert.equal(wrongSum.json.error.field, 'sha256');
    const badType = await uploadFile('name=x&fileType=firmware', IMAGE);
    assert.equal(badType.status, 400);
    const json = await h.request(
      'POST',
      '/api/v1/files?name=x&fileType=1%20Firmware%20Upgrade%20Image',
      {
        body: { a: 1 },
      },
    );
    assert.equal(json.status, 415);
    const big = await uploadFile(
      'name=x&fileType=1%20Firmware%20Upgrade%20Image',
      Buffer.alloc(Harness.MAX_FILE_BYTES + 1),
    );
    assert.equal(big.status, 413);
    const readOnly = await uploadFile(
      'name=x&fileType=1%20Firmware%20Upgrade%20Image',
      IMAGE,
      h.tokens['read-only'],
    );
    assert.equal(readOnly.status, 403);
    assert.equal((await h.request('GET', '/api/v1/files')).json.files.length, before);
  });

  it('refuses an empty file (400) and a name another file has (409 naming that file), keeping nothing', async () => {
    const before = (await h.request('GET', '/api/v1/files')).json.files.length;
    const empty = await uploadFile(
      'name=empty.bin&fileType=1%20Firmware%20Upgrade%20Image',
      Buffer.alloc(0),
    );
    assert.equal(empty.status, 400, empty.text);
    assert.match(empty.json.error.message, /empty/);
    const dup = await uploadFile(
      'name=gw-2.0.1.bin&fileType=1%20Firmware%20Upgrade%20Image',
      IMAGE,
    );
    assert.equal(dup.status, 409, dup.text);
    assert.equal(dup.json.error.field, 'name');
    assert.match(dup.json.error.message, new RegExp(fileId));
    const other = await uploadFile('name=other.bin&fileType=1%20Firmware%20Upgrade%20Image', IMAGE);
    assert.equal(other.status, 201);
    const renamed = await h.request('PATCH', `/api/v1/files/${other.json.id}`, {
      body: { name: 'gw-2.0.1.bin' },
    });
    assert.equal(renamed.status, 409, renamed.text);
    assert.equal((await h.request('DELETE', `/api/v1/files/${other.json.id}`)).status, 204);
    assert.equal((await h.request('GET', '/api/v1/files')).json.files.length, before);
  });

  it('refuses a Download of a file meant for other devices (409 naming the field) unless an admin forces it, audited', async () => {
    const { id } = await h.informDevice('files-dl-target', [], { productClass: 'HG2100' });
    const queued = async () =>
      (await h.request('GET', `/api/v1/tasks?deviceId=${id}`)).json.tasks.length as number;
    const refused = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      token: h.tokens.operator,
      body: { type: 'download', fileId },
    });
    assert.equal(refused.status, 409, refused.text);
    assert.match(refused.json.error.message, /ProductClass "GW".*"HG2100"/);
    assert.match(refused.json.error.message, /target\.productClass/);
    const scheduled = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: {
        type: 'scheduleDownload',
        fileId,
        timeWindows: [{ windowStart: 0, windowEnd: 3600, windowMode: '1 At Any Time' }],
      },
    });
    assert.equal(scheduled.status, 409, scheduled.text);
    const operatorForce = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      token: h.tokens.operator,
      body: { type: 'download', fileId, force: true },
    });
    assert.equal(operatorForce.status, 403, operatorForce.text);
    assert.equal(await queued(), 0);
    const forced = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      token: h.tokens.admin,
      body: { type: 'download', fileId, force: true },
    });
    assert.equal(forced.status, 202, forced.text);
    assert.equal(await queued(), 1);
    const audit = await h.request('GET', `/api/v1/audit?target=${id}`);
    const entry = audit.json.entries.find(
      (e: { outcome: number; details: { body: { force?: boolean } } }) =>
        e.outcome === 202 && e.details.body.force === true,
    );
    assert.ok(entry, JSON.stringify(audit.json));
    assert.ok(
      h.logs.some(
        (l) => l.event === 'api-task-created' && l.fields.forcedTarget === 'productClass',
      ),
    );
  });

  it('a Download by fileId carries a URL signed for that device, which only that device can use', async () => {
    const { id, cpe } = await h.informDevice('files-dl-1', [], { productClass: 'GW' });
    const task = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: { type: 'download', fileId },
    });
    assert.equal(task.status, 202, task.text);
    const sent = await transferSession(cpe);
    const download = sent.find((m) => m.method === 'Download');
    assert.ok(download !== undefined && download.method === 'Download');
    assert.equal(download.FileType, '1 Firmware Upgrade Image');
    assert.equal(download.FileSize, IMAGE.length);
    assert.ok(download.URL.startsWith(h.fileServer.url), download.URL);
    assert.ok(download.URL.length <= 256, 'CWMP caps a URL at 256 characters');

    const got = await fetchBytes(download.URL);
    assert.equal(got.status, 200);
    assert.equal(sha(got.body), sha(IMAGE));
    const ranged = await fetchBytes(download.URL, { headers: { range: 'bytes=0-28' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.body.toString(), 'CORRAL-FIRMWARE version=2.0.1');

    // Tampering with the token, or the file id in the path, is 403.
    const url = new URL(download.URL);
    const token = url.searchParams.get('t') ?? '';
    // A character in the middle of the MAC (the last one may only carry padding bits).
    const at = token.length - 5;
    const flipped = token[at] === 'A' ? 'B' : 'A';
    url.searchParams.set('t', `${token.slice(0, at)}${flipped}${token.slice(at + 1)}`);
    assert.equal((await fetchBytes(url.href)).status, 403);
    assert.equal((await fetchBytes(download.URL.replace(fileId, 'f'.repeat(32)))).status, 403);
    assert.equal((await fetchBytes(`${h.fileServer.url}/files/${fileId}`)).status, 403);

    // The token never reaches the session trace.
    const sessions = (await h.request('GET', `/api/v1/devices/${id}/sessions`)).json.sessions;
    const texts: string[] = [];
    for (const s of sessions) {
      const trace = await h.request('GET', `/api/v1/devices/${id}/sessions/${s.sessionId}`);
      texts.push(trace.text);
    }
    const all = texts.join('\n');
    assert.match(all, /Download/);
    assert.ok(!all.includes(token), 'the signed token is redacted in traces');
  });

  it('refuses a Download naming an unknown file, or both a url and a fileId', async () => {
    const { id } = await h.informDevice('files-dl-2');
    const unknown = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: { type: 'download', fileId: 'a'.repeat(32) },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error.field, 'fileId');
    const both = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: { type: 'download', fileId, url: 'http://127.0.0.1:1/x' },
    });
    assert.equal(both.status, 400);
    const neither = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: { type: 'download', fileType: '1 Firmware Upgrade Image' },
    });
    assert.equal(neither.status, 400);
  });

  it('a queued Download of a file deleted since fails saying so, and the session goes on', async () => {
    const { id, cpe } = await h.informDevice('files-dl-3');
    const doomed = await uploadFile('name=doomed&fileType=1%20Firmware%20Upgrade%20Image', IMAGE);
    const task = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: { type: 'download', fileId: doomed.json.id },
    });
    assert.equal((await h.request('DELETE', `/api/v1/files/${doomed.json.id}`)).status, 204);
    assert.equal((await h.request('GET', `/api/v1/files/${doomed.json.id}`)).status, 404);
    const sent = await transferSession(cpe);
    assert.equal(sent.length, 0);
    const after = await h.request('GET', `/api/v1/tasks/${task.json.task.id}`);
    assert.equal(after.json.state, 'failed');
    assert.match(JSON.stringify(after.json), /no longer exists/);
  });

  it('an Upload without a url goes to the ACS and is kept under the device', async () => {
    const { id, cpe } = await h.informDevice('files-up-1');
    const task = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: { type: 'upload', fileType: '1 Vendor Configuration File', commandKey: 'backup-1' },
    });
    assert.equal(task.status, 202, task.text);
    const sent = await transferSession(cpe);
    const upload = sent.find((m) => m.method === 'Upload');
    assert.ok(upload !== undefined && upload.method === 'Upload');
    assert.ok(upload.URL.startsWith(h.fileServer.url), upload.URL);
    const config = Buffer.from('<config><wifi key="s3cret"/></config>');
    const put = await fetchBytes(upload.URL, { method: 'PUT', body: config });
    assert.ok(put.status === 201 || put.status === 200 || put.status === 204, String(put.status));

    const uploads = await h.request('GET', `/api/v1/devices/${id}/uploads`, {
      token: h.tokens['read-only'],
    });
    assert.equal(uploads.status, 200);
    assert.equal(uploads.json.uploads.length, 1);
    const [record] = uploads.json.uploads;
    assert.equal(record.fileType, '1 Vendor Configuration File');
    assert.equal(record.size, config.length);
    assert.equal(record.name, 'backup-1');
    // Configuration backups hold secrets: reading them takes the operator role.
    const denied = await h.request('GET', `/api/v1/uploads/${record.id}/content`, {
      token: h.tokens['read-only'],
    });
    assert.equal(denied.status, 403);
    const content = await h.request('GET', `/api/v1/uploads/${record.id}/content`, {
      token: h.tokens.operator,
    });
    assert.equal(content.text, config.toString());
    assert.equal((await h.request('DELETE', `/api/v1/uploads/${record.id}`)).status, 204);
    assert.equal((await h.request('GET', `/api/v1/devices/${id}/uploads`)).json.uploads.length, 0);
  });
});
