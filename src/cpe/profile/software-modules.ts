/**
 * The SoftwareModules object of TR-157 (Device.SoftwareModules. in TR-181, InternetGatewayDevice.SoftwareModules. in
 * TR-098), trimmed to what ChangeDUState needs: one execution environment, and the DeploymentUnit and ExecutionUnit
 * tables the device fills as the ACS installs, updates and uninstalls. Names, types and access as in TR-181 2.17.
 */
import {
  at,
  boolean,
  dateTime,
  entries,
  enumeration,
  list,
  named,
  object,
  type ProfilePart,
  R,
  string,
  table,
  W,
  W1,
} from '../../datamodel/profiles/builder.ts';

const UUID_PATTERN =
  '[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[1-5][a-fA-F0-9]{3}-[89ABab][a-fA-F0-9]{3}-[a-fA-F0-9]{12}';

export function softwareModulesPart(root: string): ProfilePart {
  const sm = `${root}SoftwareModules.`;
  return {
    objects: [
      object(sm, [
        entries('ExecEnvNumberOfEntries'),
        entries('DeploymentUnitNumberOfEntries'),
        entries('ExecutionUnitNumberOfEntries'),
      ]),
      table(
        `${sm}ExecEnv.{i}.`,
        [
          W('Enable', boolean()),
          R('Status', enumeration(['Up', 'Error', 'Disabled'])),
          W1('Alias', named.alias()),
          R('Name', string(32)),
          R('Type', string(64)),
          R('Vendor', string(128)),
          R('Version', string(32)),
        ],
        { numEntriesParameter: 'ExecEnvNumberOfEntries' },
      ),
      table(
        `${sm}DeploymentUnit.{i}.`,
        [
          R('UUID', string(36, { dataType: 'UUID', patterns: ['', UUID_PATTERN] })),
          R('DUID', string(64)),
          W1('Alias', named.alias()),
          R('Name', string(64)),
          R(
            'Status',
            enumeration(['Installing', 'Installed', 'Updating', 'Uninstalling', 'Uninstalled']),
          ),
          R('Resolved', boolean()),
          R('URL', named.url(1024)),
          R('Description', string(256)),
          R('Vendor', string(128)),
          R('Version', string(32)),
          R('ExecutionUnitList', list(string())),
          R('ExecutionEnvRef', string()),
          R('Installed', dateTime()),
          R('LastUpdate', dateTime()),
        ],
        { numEntriesParameter: 'DeploymentUnitNumberOfEntries' },
      ),
      table(
        `${sm}ExecutionUnit.{i}.`,
        [
          R('EUID', string(64)),
          W1('Alias', named.alias()),
          R('Name', string(32)),
          R('ExecEnvLabel', string(64)),
          R('Status', enumeration(['Idle', 'Starting', 'Active', 'Stopping'])),
          W('RequestedState', enumeration(['Idle', 'Active'])),
          W('AutoStart', boolean()),
          R('Vendor', string(128)),
          R('Version', string(32)),
          R('ExecutionEnvRef', string()),
        ],
        { numEntriesParameter: 'ExecutionUnitNumberOfEntries' },
      ),
    ],
    instances: { [`${sm}ExecEnv.`]: [1] },
    values: at(`${sm}ExecEnv.1.`, {
      Enable: true,
      Status: 'Up',
      Alias: 'cpe-1',
      Name: 'corral-ee',
      Type: 'Linux',
      Vendor: 'Corral Networks',
      Version: '1.0',
    }),
  };
}
