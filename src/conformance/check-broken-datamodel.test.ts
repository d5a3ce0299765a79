/**
 * The data-model cases (DM-*) proven on the simulator: faithful, it passes them all, against the shipped
 * definitions and against BBF XML given with --datamodel; built from a small BBF-format model broken on purpose
 * (a wrong type, an unknown name, a badly named vendor extension, a required parameter left out, a wrong
 * writability), exactly the matching case fails.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkCommand } from '../cli/check-command.ts';
import { profileFromBbfXml } from '../datamodel/bbf/profile-from-xml.ts';
import type { DeviceProfile } from '../datamodel/profile.ts';
import { IGD_GATEWAY } from '../datamodel/profiles/index.ts';
import { DATA_MODEL_CASES } from './cases/data-model.ts';
import { check, dir, sink, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const DM = DATA_MODEL_CASES.map((c) => c.id);

const p = (name: string, syntax = '<string/>', access = 'readOnly', extra = '') =>
  `<parameter name="${name}" access="${access}"${extra}><syntax>${syntax}</syntax></parameter>`;
const forced = ' forcedInform="true"';
const one = 'access="readOnly" minEntries="1" maxEntries="1"';

interface Breakage {
  /** Parameters of DeviceInfo. added or replaced, by name; null leaves one out. */
  deviceInfo?: Record<string, string | null>;
  managementServer?: Record<string, string | null>;
}

function params(base: Record<string, string>, change: Record<string, string | null> = {}): string {
  return Object.entries({ ...base, ...change })
    .filter(([, v]) => v !== null)
    .map(([, v]) => v)
    .join('\n      ');
}

/** A small Device:2.17 in the BBF format with a profile, Baseline:1, and the changes of `broken`. */
function deviceXml(broken: Breakage = {}): string {
  const deviceInfo = {
    Manufacturer: p('Manufacturer'),
    ManufacturerOUI: p('ManufacturerOUI', '<string><size minLength="6" maxLength="6"/></string>'),
    ProductClass: p('ProductClass'),
    SerialNumber: p('SerialNumber'),
    HardwareVersion: p('HardwareVersion', '<string/>', 'readOnly', forced),
    SoftwareVersion: p('SoftwareVersion', '<string/>', 'readOnly', forced),
    ProvisioningCode: p(
      'ProvisioningCode',
      '<string><size maxLength="64"/></string>',
      'readWrite',
      forced,
    ),
    UpTime: p('UpTime', '<unsignedInt/>'),
    SupportedDataModelNumberOfEntries: p('SupportedDataModelNumberOfEntries', '<unsignedInt/>'),
  };
  const managementServer = {
    URL: p('URL', '<string/>', 'readWrite'),
    Username: p('Username', '<string/>', 'readWrite'),
    Password: p('Password', '<string><size maxLength="256"/></string><hidden/>', 'readWrite'),
    PeriodicInformEnable: p('PeriodicInformEnable', '<boolean/>', 'readWrite'),
    PeriodicInformInterval: p(
      'PeriodicInformInterval',
      '<unsignedInt><range minInclusive="1"/></unsignedInt>',
      'readWrite',
    ),
    PeriodicInformTime: p('PeriodicInformTime', '<dateTime/>', 'readWrite'),
    ParameterKey: p('ParameterKey', '<string><size maxLength="32"/></string>', 'readOnly', forced),
    ConnectionRequestURL: p('ConnectionRequestURL', '<string/>', 'readOnly', forced),
    ConnectionRequestUsername: p('ConnectionRequestUsername', '<string/>', 'readWrite'),
    ConnectionRequestPassword: p('ConnectionRequestPassword', '<string/><hidden/>', 'readWrite'),
  };
  return `<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:corral:test-device-1-0">
  <model name="Device:2.17">
    <object name="Device." ${one}>
      ${p('RootDataModelVersion', '<string/>', 'readOnly', forced)}
    </object>
    <object name="Device.DeviceInfo." ${one}>
      ${params(deviceInfo, broken.deviceInfo)}
    </object>
    <object name="Device.DeviceInfo.SupportedDataModel.{i}." access="readOnly" minEntries="0" maxEntries="unbounded" numEntriesParameter="SupportedDataModelNumberOfEntries">
      ${p('URN')}${p('Features', '<list/><string/>')}
    </object>
    <object name="Device.ManagementServer." ${one}>
      ${params(managementServer, broken.managementServer)}
    </object>
    <object name="Device.SoftwareModules." ${one}>
      ${p('ExecEnvNumberOfEntries', '<unsignedInt/>')}
    </object>
    <profile name="Baseline:1">
      <object ref="Device.ManagementServer." requirement="present">
        ${['URL', 'PeriodicInformEnable', 'PeriodicInformInterval', 'PeriodicInformTime']
          .map((n) => `<parameter ref="${n}" requirement="readWrite"/>`)
          .join('')}
      </object>
    </profile>
  </model>
</dm:document>`;
}

const definitionsFile = join(dir, 'test-device-full.xml');
writeFileSync(definitionsFile, deviceXml());

/** The simulator built from the (broken) model, claiming Baseline:1 in DeviceInfo.SupportedDataModel.1. */
function simulated(broken: Breakage = {}): DeviceProfile {
  const { profile } = profileFromBbfXml(deviceXml(broken), { id: 'test-device' });
  const sdm = 'Device.DeviceInfo.SupportedDataModel.';
  return {
    ...profile,
    instances: { ...profile.instances, [sdm]: [1] },
    values: {
      ...profile.values,
      [`${sdm}1.URN`]: 'urn:corral:test-device-1-0',
      [`${sdm}1.Features`]: 'Baseline:1',
    },
  };
}

async function dmRun(name: string, broken: Breakage) {
  return check(name, ['--cases', 'DM-*', '--datamodel', definitionsFile], {
    profile: simulated(broken),
  });
}

const BBF = join(import.meta.dirname, '../../../shared/bbf');

describe('corral check: the data-model cases', () => {
  test('the Device:2 and IGD simulators pass them against the shipped definitions, versions and profiles included', async () => {
    for (const profile of [undefined, IGD_GATEWAY]) {
      const run = await check(
        `dm-${profile?.id ?? 'device2'}`,
        ['--cases', 'DM-*'],
        profile === undefined ? {} : { profile },
      );
      assert.deepEqual(verdicts(run.report, 'fail'), [], run.stderr);
      assert.deepEqual(verdicts(run.report, 'skip'), []);
      assert.equal(verdicts(run.report, 'pass').length, DM.length);
      // The tree is read once, in the first case's exchange.
      const first = run.report.results[0]!;
      assert.ok(
        first.evidence.some((e) => e.body.includes('GetParameterAttributes')),
        `${profile?.id}: ${first.id} ${first.evidence.length}`,
      );
      assert.ok(
        run.report.results[1]!.notes.some((n) => /read in DM-001/.test(n)),
        JSON.stringify(run.report.results[1]),
      );
    }
  });

  test('the Device:2 simulator passes them against TR-181 2.17 and TR-104 from BBF XML', {
    skip: existsSync(join(BBF, 'tr-181-2-17-0-cwmp-full.xml')) ? false : `no ${BBF}`,
  }, async () => {
    const run = await check('dm-tr181', [
      '--cases',
      'DM-*',
      '--datamodel',
      join(BBF, 'tr-181-2-17-0-cwmp-full.xml'),
      '--datamodel',
      join(BBF, 'tr-104-2-0-2-cwmp-full.xml'),
    ]);
    assert.deepEqual(verdicts(run.report, 'pass'), DM, run.stderr);
  });

  test('a faithful model passes every DM case against its own BBF XML, profiles and all', async () => {
    const run = await dmRun('dm-faithful', {});
    assert.deepEqual(verdicts(run.report, 'pass'), DM, run.stderr);
    assert.equal(run.code, 0);
  });

  const broken: [string, Breakage, string, RegExp][] = [
    [
      'a wrong type',
      { deviceInfo: { UpTime: p('UpTime', '<string/>') } },
      'DM-005',
      /Device\.DeviceInfo\.UpTime/,
    ],
    [
      'an unknown non-vendor parameter',
      { deviceInfo: { Colour: p('Colour') } },
      'DM-004',
      /Device\.DeviceInfo\.Colour/,
    ],
    [
      'a badly named vendor extension',
      { deviceInfo: { X: p('X_acme_Colour') } },
      'DM-008',
      /Device\.DeviceInfo\.X_acme_Colour/,
    ],
    [
      'a parameter its claimed profile requires left out',
      { managementServer: { PeriodicInformTime: null } },
      'DM-003',
      /Device\.ManagementServer\.PeriodicInformTime/,
    ],
    [
      'a read-only parameter writable',
      { deviceInfo: { Manufacturer: p('Manufacturer', '<string/>', 'readWrite') } },
      'DM-006',
      /Device\.DeviceInfo\.Manufacturer/,
    ],
  ];
  for (const [what, breakage, id, path] of broken) {
    test(`${what}: ${id} fails, naming the path, and no other DM case`, async () => {
      const run = await dmRun(`dm-${id}`, breakage);
      assert.deepEqual(verdicts(run.report, 'fail'), [id], run.stderr);
      assert.deepEqual(
        verdicts(run.report, 'pass'),
        DM.filter((d) => d !== id),
      );
      const result = run.report.results.find((r) => r.id === id)!;
      assert.match(result.reason ?? '', path);
      assert.match(result.reason ?? '', /1 do not/);
      assert.equal(run.code, 1);
    });
  }

  test('a --datamodel file that is not a data model is a usage error in one line, exit 2', async () => {
    const bad = join(dir, 'not-a-model.xml');
    writeFileSync(bad, '<html><body>no</body></html>');
    for (const file of [bad, join(dir, 'missing.xml')]) {
      const err = sink();
      const code = await checkCommand(['--port', '0', '--datamodel', file], {
        stdout: sink().stream,
        stderr: err.stream,
      });
      assert.equal(code, 2);
      assert.match(
        err.text(),
        new RegExp(`^corral check: --datamodel ${file.replace(/[.\\/]/g, '\\$&')}: .+\n$`),
      );
      assert.doesNotMatch(err.text(), /\n\s+at /);
    }
  });
});
