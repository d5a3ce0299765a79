import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeEnvelope } from '../cwmp/index.ts';

const entry = fileURLToPath(new URL('./corral.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'corral-decode-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function corral(args: string[], input?: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    input,
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const inform = encodeEnvelope({
  cwmpNamespace: 'urn:dslforum-org:cwmp-1-2',
  header: { ID: 'abc', SessionTimeout: 45 },
  body: {
    method: 'Inform',
    DeviceId: { Manufacturer: 'ACME', OUI: '00D09E', ProductClass: 'HGW', SerialNumber: 'SN1' },
    Event: [{ EventCode: '0 BOOTSTRAP', CommandKey: '' }],
    MaxEnvelopes: 1,
    CurrentTime: '2026-11-25T00:00:00Z',
    RetryCount: 0,
    ParameterList: [{ name: 'Device.DeviceInfo.SoftwareVersion', value: '1.0', type: 'string' }],
  },
});

describe('corral decode', () => {
  it('prints a message from a file as JSON, with its warnings, and exits 0', () => {
    const file = join(dir, 'inform.xml');
    writeFileSync(file, inform);
    const run = corral(['decode', file]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.body.method, 'Inform');
    assert.equal(out.body.DeviceId.SerialNumber, 'SN1');
    assert.deepEqual(out.header, { ID: 'abc', SessionTimeout: 45 });
    assert.equal(out.cwmpNamespace, 'urn:dslforum-org:cwmp-1-2');
    assert.deepEqual(out.warnings, []);
  });

  it('reads standard input with -', () => {
    const run = corral(
      ['decode', '-'],
      inform.replace('<ParameterList', '<ParameterList ').replace('xsi:type="xsd:string"', ''),
    );
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.body.ParameterList[0].type, 'string');
    assert.equal(out.warnings[0].code, 'missing-xsi-type');
  });

  it('prints the typed error on stderr and exits 2 on a message it cannot decode', () => {
    const run = corral(['decode', '-'], '<!DOCTYPE x [<!ENTITY a "b">]><x/>');
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.equal(JSON.parse(run.stderr).error.code, 'doctype-forbidden');
  });

  it('prints its help (exit 0), also as `corral help decode`', () => {
    for (const args of [
      ['decode', '--help'],
      ['decode', '-h'],
      ['help', 'decode'],
    ]) {
      const run = corral(args);
      assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stdout, /^usage: corral decode/);
    }
  });

  it('refuses an unknown option or a second file in one line with the usage (exit 2)', () => {
    const bogus = corral(['decode', '--bogus']);
    assert.equal(bogus.status, 2);
    assert.match(bogus.stderr, /^corral decode: unknown option --bogus\n\nusage: corral decode/);
    const two = corral(['decode', 'a.xml', 'b.xml']);
    assert.equal(two.status, 2);
    assert.match(two.stderr, /^corral decode: give one FILE/);
  });

  it('takes --compact as a switch in every form', () => {
    const file = join(dir, 'compact.xml');
    writeFileSync(file, inform);
    assert.equal(corral(['decode', '--compact', file]).stdout.trimEnd().split('\n').length, 1);
    assert.equal(corral(['decode', '--compact=true', file]).stdout.trimEnd().split('\n').length, 1);
    assert.ok(corral(['decode', '--compact', 'false', file]).stdout.split('\n').length > 5);
    assert.ok(corral(['decode', '--no-compact', file]).stdout.split('\n').length > 5);
  });

  it('exits 1 when the file cannot be read', () => {
    const run = corral(['decode', join(dir, 'missing.xml')]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cannot read/);
  });
});
