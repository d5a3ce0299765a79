import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CwmpFault } from '../../cwmp/index.ts';
import { FileServer } from '../testing/file-server.ts';
import { checkTransferUrl, fetchFile, putFile } from './file-client.ts';

let open: FileServer;
let guarded: FileServer;
before(async () => {
  open = await new FileServer().start();
  guarded = await new FileServer({ username: 'fw', password: 'fw-secret' }).start();
});
after(async () => {
  await open.close();
  await guarded.close();
});

async function faultOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof CwmpFault, String(error));
    return error.code;
  }
  assert.fail('expected a fault');
}

describe('fetchFile / putFile', () => {
  it('downloads a file, with its size and digest, checking FileSize', async () => {
    const url = open.put('fw.bin', Buffer.alloc(3000, 9));
    const file = await fetchFile(url, { fileSize: 3000, keepBytes: 16 });
    assert.equal(file.size, 3000);
    assert.equal(file.head.length, 16);
    assert.match(file.sha256, /^[0-9a-f]{64}$/);
    assert.equal(await faultOf(fetchFile(url, { fileSize: 10 })), 9018);
  });

  it('answers the file server’s Digest challenge; wrong credentials are 9012', async () => {
    const url = guarded.put('fw.bin', 'image');
    assert.equal((await fetchFile(url, { username: 'fw', password: 'fw-secret' })).size, 5);
    assert.equal(await faultOf(fetchFile(url, { username: 'fw', password: 'nope' })), 9012);
    assert.equal(await faultOf(fetchFile(url, {})), 9012);
    await putFile(guarded.uploadUrl('log.txt'), Buffer.from('log'), 'text/plain', {
      username: 'fw',
      password: 'fw-secret',
    });
    assert.equal(guarded.uploads.get('log.txt')?.body.toString(), 'log');
    assert.equal(
      await faultOf(putFile(guarded.uploadUrl('x'), Buffer.from('x'), 'text/plain', {})),
      9012,
    );
  });

  it('maps failures to transfer fault codes: 9016 missing, 9015 unreachable, 9013 scheme, 9011 upload refused', async () => {
    assert.equal(await faultOf(fetchFile(`${open.base}/files/missing`, {})), 9016);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    assert.equal(await faultOf(fetchFile(`http://127.0.0.1:${port}/x`, {})), 9015);
    assert.throws(
      () => checkTransferUrl('ftp://127.0.0.1/fw.bin'),
      (e: CwmpFault) => e.code === 9013,
    );
    assert.equal(
      await faultOf(putFile(`${open.base}/files/readonly`, Buffer.from('x'), 'text/plain', {})),
      9011,
    );
  });

  it('follows redirects', async () => {
    const target = open.put('moved.bin', 'moved');
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { Location: target, 'Content-Length': '0' });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirector.address() as AddressInfo).port;
      assert.equal((await fetchFile(`http://127.0.0.1:${port}/fw`, {})).size, 5);
    } finally {
      redirector.close();
    }
  });
});
