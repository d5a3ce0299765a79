/**
 * `corral sim --profile FILE.xml`: loading a BBF data-model XML as the simulator's profile (a vendor's model with
 * its types beside it or named, always run), then devices of the whole TR-181 2.17 and TR-098 models bootstrapping
 * against the real ACS and answering it over their whole tree (skipped where ../shared/bbf is absent).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { simCommand } from '../../cli/sim-command.ts';
import { TYPES_XML, vendorXml } from '../../datamodel/bbf/vendor-xml.fixture.ts';
import { nullValue, readsAsNull } from '../../datamodel/definition.ts';
import { validateValue } from '../../datamodel/validate.ts';
import { SimulatedClock } from '../clock/simulated-clock.ts';
import { Fleet } from '../fleet/fleet.ts';
import { loadProfile, ProfileLoadError } from '../fleet/load-profile.ts';
import { getParameterNames } from '../methods/get-parameter-names.ts';
import { Lab } from '../testing/lab.ts';
import { informResponse, ScriptedAcs } from '../testing/scripted-acs.ts';

const BBF = new URL('../../../../shared/bbf/', import.meta.url);
const SKIP = existsSync(BBF)
  ? false
  : `no BBF data models at ${fileURLToPath(BBF)} (CI checks out ../shared beside the repository)`;

const dir = mkdtempSync(join(tmpdir(), 'corral-xml-profile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(sub: string, name: string, text: string): string {
  const path = join(dir, sub, name);
  writeFileSync(path, text);
  return path;
}

async function refusal(file: string, options = {}): Promise<string> {
  try {
    await loadProfile(file, options);
  } catch (error) {
    assert.ok(error instanceof ProfileLoadError, String(error));
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail(`${file} was accepted`);
}

describe('loadProfile of a BBF XML', () => {
  test('a vendor model takes its types from tr-106-types.xml beside it, or from --profile-types', async () => {
    for (const sub of ['beside', 'alone', 'types']) mkdirSync(join(dir, sub));
    const beside = write('beside', 'acme-hgw.xml', vendorXml());
    write('beside', 'tr-106-types.xml', TYPES_XML);
    const { profile } = await loadProfile(beside);
    assert.equal(profile.id, 'acme-hgw');
    assert.equal(profile.values['Device.IP.Interface.1.IPv4Address.1.IPAddress'], '192.168.1.1');

    const alone = write('alone', 'acme-hgw.xml', vendorXml());
    assert.match(
      await refusal(alone),
      /acme-hgw\.xml: .*IPv4Address.*\(give its types with --profile-types tr-106-types\.xml, or put that file beside it\)$/,
    );
    const types = write('types', 'my-types.xml', TYPES_XML);
    assert.ok((await loadProfile(alone, { types })).profile.model.objects.length > 3);
    assert.match(
      await refusal(alone, { types: join(dir, 'none.xml') }),
      /^cannot read .*none\.xml/,
    );
  });

  test('a malformed XML and a model without ManagementServer are refused in one line; sim exits 2', async () => {
    const broken = write('', 'broken.xml', '<dm:document><model name="Device:2.17">');
    assert.match(await refusal(broken), /broken\.xml: not well-formed XML/);
    const noMs = write('', 'no-ms.xml', vendorXml({ ms: false }));
    write('', 'tr-106-types.xml', TYPES_XML);
    assert.match(
      await refusal(noMs),
      /no-ms\.xml: Device:2\.17 is not a model a CPE can run on: it lacks ManagementServer\.URL under Device\./,
    );
    const stderr = new PassThrough();
    const chunks: string[] = [];
    stderr.on('data', (c) => chunks.push(String(c)));
    const code = await simCommand(
      ['--devices', '1', '--acs', 'http://127.0.0.1:1/', '--profile', broken],
      { stdout: new PassThrough(), stderr },
    );
    assert.equal(code, 2);
    assert.match(
      chunks.join(''),
      /^corral sim: .*broken\.xml: not well-formed XML[^\n]*\n\nusage:/,
    );
  });
});

interface Case {
  file: string;
  types?: string;
  /** Paths read with GetParameterValues, and what some of them must hold. */
  read: string[];
  expect: Record<string, string>;
}

const CASES: Case[] = [
  {
    file: 'tr-181-2-17-0-cwmp-full.xml',
    types: 'tr-106-types.xml',
    read: [
      'Device.DeviceInfo.',
      'Device.ManagementServer.',
      'Device.WiFi.',
      'Device.IP.Interface.1.IPv4Address.1.',
      'Device.Time.',
    ],
    expect: {
      'Device.DeviceInfo.SerialNumber': 'XML181-1',
      'Device.WiFi.SSID.1.SSID': 'Corral-2G',
      'Device.WiFi.SSIDNumberOfEntries': '2',
      'Device.IP.Interface.1.IPv4Address.1.IPAddress': '192.168.1.1',
    },
  },
  {
    file: 'tr-098-1-8-0-full.xml',
    read: [
      'InternetGatewayDevice.DeviceInfo.',
      'InternetGatewayDevice.LANDevice.1.WLANConfiguration.',
      'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.',
    ],
    expect: {
      'InternetGatewayDevice.DeviceInfo.SerialNumber': 'XML098-1',
      'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID': 'Corral-2G',
      'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ConnectionStatus':
        'Connected',
    },
  },
];

for (const c of CASES) {
  describe(`a device of the whole ${c.file} against the real ACS`, {
    skip: SKIP,
    timeout: 20_000,
  }, () => {
    test('bootstraps, answers GetParameterNames over its whole tree and GetParameterValues with values that fit their types', async (t) => {
      const file = fileURLToPath(new URL(c.file, BBF));
      const types = c.types === undefined ? {} : { types: fileURLToPath(new URL(c.types, BBF)) };
      const { profile, warnings } = await loadProfile(file, types);
      assert.deepEqual(warnings, []);
      const lab = await Lab.start({ profile });
      try {
        const root = lab.template.model.root;
        const serial = c.expect[`${root}DeviceInfo.SerialNumber`]!;
        const d = await lab.device(serial, {
          extra: { [`${root}ManagementServer.PeriodicInformEnable`]: 'false' },
        });
        const boot = d.waitForSession();
        d.start();
        const booted = await boot;
        assert.equal(booted.ok, true, booted.error?.message);
        assert.ok(booted.events.includes('0 BOOTSTRAP'));
        const id = lab.idOf(d);

        const session = d.waitForSession((r) => r.acsRequests.length > 0);
        const gpn = await lab.store.tasks.enqueue(id, {
          args: { type: 'getParameterNames', parameterPath: '', nextLevel: false },
        });
        const gpv = await lab.store.tasks.enqueue(id, {
          args: { type: 'getParameterValues', parameterNames: c.read },
        });
        assert.equal(await lab.connectionRequest(d), 200);
        const r = await session;
        assert.equal(r.ok, true, r.error?.message);

        const names = await lab.store.tasks.get(gpn.id);
        assert.equal(names?.state, 'done', JSON.stringify(names?.fault));
        const listed = (names!.result as { parameters: { name: string }[] }).parameters;
        const local = getParameterNames(d.model, {
          method: 'GetParameterNames',
          ParameterPath: '',
          NextLevel: false,
        }).ParameterList;
        assert.equal(listed.length, local.length);
        assert.ok(listed.length > 1000, `${listed.length} names`);

        const values = await lab.store.tasks.get(gpv.id);
        assert.equal(values?.state, 'done', JSON.stringify(values?.fault));
        let checked = 0;
        for (const prefix of c.read) {
          for (const p of local.filter((x) => x.Name.startsWith(prefix) && !x.Name.endsWith('.'))) {
            const stored = await lab.store.parameters.get(id, p.Name);
            assert.ok(stored !== null, `${p.Name} was not read`);
            const node = d.model.resolve(p.Name);
            assert.equal(node?.kind, 'parameter');
            if (node?.kind !== 'parameter') continue;
            if (stored!.secret) continue; // a password: kept encrypted, not read back here
            const syntax = node.node.definition.syntax;
            if (readsAsNull(syntax)) {
              assert.equal(stored!.value, nullValue(syntax), p.Name);
              continue;
            }
            const fits = validateValue(syntax, String(stored!.value));
            assert.ok(
              fits.ok,
              `${p.Name} = ${JSON.stringify(stored.value)}: ${!fits.ok && fits.reason}`,
            );
            checked++;
          }
        }
        assert.ok(checked > 30, `${checked} values checked`);
        t.diagnostic(
          `${listed.length} names over the whole tree, ${checked} values checked against their types`,
        );
        for (const [path, want] of Object.entries(c.expect)) {
          assert.equal(String((await lab.store.parameters.get(id, path))?.value), want, path);
        }
      } finally {
        await lab.close();
      }
    });
  });
}

describe('the cost of devices of the whole TR-181 2.17 model', {
  skip: SKIP,
  timeout: 20_000,
}, () => {
  // Measured on Node 20 (2 cores, shared): about 9 KB of heap per device that has bootstrapped (the fleet's fixed
  // costs shared by only 100 devices included; the idle Device:2 gateway's budget is 10 KB). The 6,466-parameter
  // model (1,966 parameters and objects at first boot) is indexed once, in the template: about 1 MB.
  test('100 devices that have each bootstrapped cost under 20 KB of heap each', async (t) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const file = fileURLToPath(new URL('tr-181-2-17-0-cwmp-full.xml', BBF));
    const { profile } = await loadProfile(file);
    const acs = await new ScriptedAcs((r) => (r.body === '' ? { status: 204 } : informResponse()), {
      record: false,
    }).start();
    const common = { acsUrl: acs.url, profile, scheduler: new SimulatedClock() };
    try {
      gc();
      const floor = process.memoryUsage().heapUsed;
      // One device first: it builds the shared template, which belongs to the profile, not to the devices.
      await (await Fleet.start({ ...common, devices: 1, connectionRequest: false })).stop();
      gc();
      const before = process.memoryUsage().heapUsed;
      const n = 100;
      let done = 0;
      let failed = 0;
      let finished!: () => void;
      const all = new Promise<void>((resolve) => {
        finished = resolve;
      });
      const fleet = await Fleet.start({
        ...common,
        devices: n,
        rate: Number.POSITIVE_INFINITY,
        onSession: (r) => {
          if (!r.ok) failed++;
          if (++done === n) finished();
        },
      });
      await all;
      gc();
      const perDevice = (process.memoryUsage().heapUsed - before) / n;
      await fleet.stop();
      assert.equal(failed, 0);
      t.diagnostic(
        `template ${((before - floor) / 2 ** 20).toFixed(1)} MB, ${perDevice.toFixed(0)} bytes of heap per device`,
      );
      assert.ok(perDevice < 20 * 1024, `${perDevice.toFixed(0)} bytes per device`);
    } finally {
      await acs.close();
    }
  });
});
