/**
 * A device built straight from a published BBF data model (every object, tables empty): the loaders and the
 * device model together, as the simulator runs any -full.xml a user gives it. Skipped where ../shared/bbf is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadBbfDataModel } from '../../datamodel/bbf/load-xml.ts';
import { profileFromDefinition } from '../../datamodel/profile.ts';
import { getParameterNames } from '../methods/get-parameter-names.ts';
import { getParameterValues } from '../methods/get-parameter-values.ts';
import { setParameterValues } from '../methods/set-parameter-values.ts';
import { DeviceModel } from './device-model.ts';
import { DeviceTemplate } from './template.ts';

const BBF = new URL('../../../../shared/bbf/', import.meta.url);
const SKIP = existsSync(BBF)
  ? false
  : `no BBF data models at ${fileURLToPath(BBF)} (CI checks out ../shared beside the repository)`;

describe('a device of the whole TR-181 2.17 model', { skip: SKIP }, () => {
  const def = () =>
    loadBbfDataModel(readFileSync(new URL('tr-181-2-17-0-cwmp-full.xml', BBF), 'utf8'));

  test('answers GetParameterNames and GetParameterValues, and AddObject fills a table with defaults', () => {
    const d = new DeviceModel(new DeviceTemplate(profileFromDefinition(def(), 'tr181')));
    const names = getParameterNames(d, {
      method: 'GetParameterNames',
      ParameterPath: '',
      NextLevel: false,
    });
    assert.ok(names.ParameterList.length > 1000, `${names.ParameterList.length}`);
    const version = getParameterValues(d, {
      method: 'GetParameterValues',
      ParameterNames: ['Device.RootDataModelVersion'],
    });
    assert.equal(version.ParameterList[0]?.value, '2.17');
    const n = d.addInstance('Device.NAT.PortMapping.');
    assert.equal(n, 1);
    const pm = getParameterValues(d, {
      method: 'GetParameterValues',
      ParameterNames: [`Device.NAT.PortMapping.${n}.`],
    });
    const value = (name: string) =>
      pm.ParameterList.find((p) => p.name.endsWith(`.${name}`))?.value;
    assert.deepEqual(
      [value('Enable'), value('Status'), value('Origin'), value('Alias')],
      ['false', 'Disabled', 'Controller', 'cpe-1'],
    );
    const r = setParameterValues(d, {
      method: 'SetParameterValues',
      ParameterList: [
        { name: `Device.NAT.PortMapping.${n}.ExternalPort`, value: '443', type: 'unsignedInt' },
      ],
      ParameterKey: 'bbf',
    });
    assert.equal(r.Status, 0);
    assert.equal(d.getValue('Device.ManagementServer.ParameterKey'), 'bbf');
  });
});
