/**
 * `corral sim --local-control`: one listener for the whole fleet, on the address given; a change posted there is
 * the named device's own; a bad address is a usage error in one line, exit 2. (No ACS: the devices' sessions fail,
 * which the local control does not need.)
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { simCommand } from './sim-command.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

describe('corral sim --local-control', () => {
  it('changes a device of the fleet by its serial number; an unknown one is 404', async () => {
    const stderr = capture();
    const abort = new AbortController();
    const run = simCommand(
      [
        '--devices',
        '3',
        '--acs',
        'http://127.0.0.1:9/',
        '--rate',
        '1000',
        '--local-control',
        '127.0.0.1:0',
      ],
      { stdout: capture().stream, stderr: stderr.stream, signal: abort.signal },
    );
    let url: string | undefined;
    for (let i = 0; i < 200 && url === undefined; i++) {
      url = /local control on (http:\/\/\S+)\/devices\/SERIAL\/values/.exec(stderr.text())?.[1];
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    try {
      assert.ok(url, stderr.text());
      const post = (serial: string) =>
        fetch(`${url}/devices/${serial}/values`, {
          method: 'POST',
          body: new URLSearchParams({ path: 'Device.WiFi.SSID.1.SSID', value: 'from-the-ui' }),
        });
      assert.equal((await post('CRL00000002')).status, 204);
      assert.equal((await post('CRL00000002')).status, 200); // the same value: unchanged
      assert.equal((await post('CRL00000009')).status, 404);
    } finally {
      abort.abort();
      await run;
    }
  });

  it('refuses an address that is not HOST:PORT, exit 2', async () => {
    const stderr = capture();
    const code = await simCommand(
      ['--devices', '1', '--acs', 'http://127.0.0.1:9/', '--local-control', 'nowhere'],
      { stdout: capture().stream, stderr: stderr.stream },
    );
    assert.equal(code, 2);
    assert.match(stderr.text().split('\n')[0]!, /--local-control must be HOST:PORT, not "nowhere"/);
  });
});
