import type { ParameterRecord } from '../../../store/parameters.ts';
import type { ScriptDeclarations } from '../script/types.ts';
import type { ProvisioningContext } from './plan.ts';
import type { Preset } from './preset.ts';

/** Fixtures for the planner's tests: a parameter row, a device context, a preset. */
export const NOW = 1_700_000_000_000;
export function rec(
  path: string,
  value: string | null = null,
  type: string | null = 'string',
  extra: Partial<ParameterRecord> = {},
): ParameterRecord {
  return {
    path,
    object: path.endsWith('.'),
    value,
    type,
    secret: false,
    writable: true,
    notification: 0,
    accessList: [],
    valueAt: NOW - 1000,
    attributesAt: NOW,
    ...extra,
  };
}
export function ctx(
  records: ParameterRecord[],
  more: Partial<ProvisioningContext> = {},
): ProvisioningContext {
  return {
    device: {
      manufacturer: 'Acme',
      oui: '00AABB',
      productClass: 'HGW',
      serialNumber: 'S1',
      softwareVersion: '1',
      hardwareVersion: null,
    },
    tags: [],
    events: [],
    now: NOW,
    parameters: new Map(records.map((r) => [r.path, r])),
    ...more,
  };
}
/** Declarations with nothing declared but `d`. */
export function declarations(d: Partial<ScriptDeclarations> = {}): ScriptDeclarations {
  return {
    values: [],
    attributes: [],
    instances: [],
    absentInstances: [],
    fresh: [],
    addTags: [],
    removeTags: [],
    ...d,
  };
}

export function preset(
  name: string,
  d: Partial<ScriptDeclarations> = {},
  extra: Partial<Preset> = {},
): Preset {
  return {
    name,
    weight: 0,
    channel: '',
    precondition: { all: [] },
    declarations: declarations(d),
    ...extra,
  };
}
