/**
 * The DUT's data model (in the spirit of BBF IR-181): its whole tree, read once per run (device-tree.ts), held
 * against the definitions — `--datamodel FILE…` (BBF XML, with profiles and versions) or the standard ones Corral
 * ships — by the data-model layer's checkDeviceModel. Each case looks at some of its rules and names the paths
 * at fault.
 */
import {
  checkDeviceModel,
  type DeviceFinding,
  type DeviceRule,
} from '../../datamodel/device-check.ts';
import { claimsOf, compareVersions, type DeviceClaims } from '../../datamodel/device-claims.ts';
import type { DeviceDefinitions } from '../../datamodel/device-definitions.ts';
import { StandardDefinitions } from '../../datamodel/standard/standard-definitions.ts';
import type { CaseContext, ConformanceCase, DutFacts } from '../case.ts';
import { type DeviceTree, deviceTree } from '../device-tree.ts';

const AREA = 'Data model';
const REQUIRES = { rpcs: ['GetParameterNames', 'GetParameterValues'] };
const READ_STEP =
  'Read the tree once for the run: GetParameterNames("{root}", false), GetParameterValues and GetParameterAttributes of every parameter in batches of 100';
/** Paths named in a failed expectation; the notes list more. */
const NAMED = 5;
const NOTED = 20;

interface Analysis {
  tree: DeviceTree;
  definitions: DeviceDefinitions;
  claims: DeviceClaims;
  findings: DeviceFinding[];
}

const analyses = new WeakMap<DutFacts, Promise<Analysis>>();

function analysis(ctx: CaseContext, caseId: string): Promise<Analysis> {
  let found = analyses.get(ctx.dut);
  if (found === undefined) {
    found = (async () => {
      const tree = await deviceTree(ctx, caseId);
      const definitions = ctx.dut.definitions ?? (await StandardDefinitions.load());
      const values = new Map<string, string>();
      for (const i of tree.items) if (i.value !== undefined) values.set(i.path, i.value);
      const { claims } = claimsOf(tree.root, values);
      return { tree, definitions, claims, findings: checkDeviceModel(definitions, tree) };
    })();
    analyses.set(ctx.dut, found);
  }
  return found;
}

function noteReader(ctx: CaseContext, tree: DeviceTree, caseId: string): void {
  if (tree.readBy !== caseId)
    ctx.note(`the tree was read in ${tree.readBy} (its evidence has the exchange)`);
}

/** Fails the case when a finding of `rules` is there: the first paths in the expectation, the rest in notes. */
async function expectNone(
  ctx: CaseContext,
  caseId: string,
  rules: readonly DeviceRule[],
  what: string,
) {
  const { tree, findings } = await analysis(ctx, caseId);
  noteReader(ctx, tree, caseId);
  const hits = findings.filter((f) => rules.includes(f.rule));
  for (const f of hits.slice(0, NOTED)) ctx.note(`${f.rule}: ${f.message}`);
  if (hits.length > NOTED) ctx.note(`… and ${hits.length - NOTED} more`);
  const named = hits.slice(0, NAMED).map((f) => f.path);
  const more = hits.length > NAMED ? ` and ${hits.length - NAMED} more` : '';
  ctx.expect(hits.length === 0, `${what}; ${hits.length} do not: ${named.join(', ')}${more}`);
}

function dmCase(
  id: string,
  title: string,
  clause: string,
  check: string,
  run: (ctx: CaseContext) => Promise<void>,
  requires: ConformanceCase['requires'] = REQUIRES,
): ConformanceCase {
  return { id, area: AREA, title, clause, requires, steps: [READ_STEP, check], run };
}

export const DATA_MODEL_CASES: ConformanceCase[] = [
  dmCase(
    'DM-001',
    'The root object and the data-model version and profiles the DUT claims are coherent',
    'TR-106 §3.7 (DeviceSummary), TR-181 Device.RootDataModelVersion and DeviceInfo.SupportedDataModel',
    'Expect a root the definitions know; RootDataModelVersion, DeviceSummary and SupportedDataModel agreeing with it and each other; every claimed profile defined',
    async (ctx: CaseContext) => {
      const { definitions, claims } = await analysis(ctx, 'DM-001');
      const model = definitions.modelName(ctx.dut.root);
      ctx.note(
        `the DUT claims ${ctx.dut.root.slice(0, -1)}:${claims.version ?? '?'}${claims.profiles.length > 0 ? ` with ${claims.profiles.join(', ')}` : ', no profile'}; the definitions: ${model ?? 'none for this root'}`,
      );
      const defined = /:(\d+\.\d+)$/.exec(model ?? '')?.[1];
      if (
        defined !== undefined &&
        claims.version !== undefined &&
        compareVersions(claims.version, defined) > 0
      )
        ctx.note(
          `the DUT claims a newer version than the definitions (${defined}): give --datamodel a newer model`,
        );
      if (claims.profiles.length > 0 && definitions.profile === undefined)
        ctx.note('the definitions carry no profiles: --datamodel with the BBF XML checks them');
      await expectNone(
        ctx,
        'DM-001',
        ['unknown-root', 'incoherent-claim', 'unknown-profile'],
        'a coherent claim',
      );
    },
  ),
  dmCase(
    'DM-002',
    'Every parameter GetParameterNames lists can be read with GetParameterValues and GetParameterAttributes',
    'TR-069 §A.3.2.2, §A.3.2.3, §A.3.2.5',
    'Expect no batch of listed names faulted (a faulted batch is halved until the names at fault are found)',
    async (ctx: CaseContext) => {
      const { tree } = await analysis(ctx, 'DM-002');
      noteReader(ctx, tree, 'DM-002');
      for (const line of tree.unreadable.slice(0, NOTED)) ctx.note(line);
      ctx.expect(
        tree.unreadable.length === 0,
        `every listed name readable; ${tree.unreadable.length} are not: ${tree.unreadable.slice(0, NAMED).join('; ')}`,
      );
    },
  ),
  dmCase(
    'DM-003',
    'The objects and parameters required of the DUT are present: the Inform’s and its claimed profiles’',
    'TR-069 §A.3.3.1 (forced Inform parameters); TR-106 §2.3 (profiles)',
    'Expect every forcedInform parameter of the definitions and every object and parameter of each claimed profile (in every instance the DUT has)',
    (ctx: CaseContext) =>
      expectNone(
        ctx,
        'DM-003',
        ['missing-required'],
        'every required object and parameter reported',
      ),
  ),
  dmCase(
    'DM-004',
    'Every name the DUT reports is defined, or a vendor extension',
    'TR-106 §3.3; TR-069 §A.3.2.3',
    'Expect every object and parameter to be in the definitions (as an object or a parameter, as reported) or under an X_ segment',
    (ctx: CaseContext) =>
      expectNone(
        ctx,
        'DM-004',
        ['unknown-parameter', 'unknown-object', 'not-an-object', 'not-a-parameter'],
        'every name defined or a vendor extension',
      ),
  ),
  dmCase(
    'DM-005',
    'Every value travels with the xsi:type of its definition',
    'TR-069 §A.3.2.2 (ParameterValueStruct); TR-106 §3.2',
    'Expect each xsi:type GetParameterValues gives to be the definition’s base type (a list: xsd:string)',
    (ctx: CaseContext) => expectNone(ctx, 'DM-005', ['type-mismatch'], 'every xsi:type as defined'),
  ),
  dmCase(
    'DM-006',
    'Every name’s Writable is as the definitions and the claimed profiles say',
    'TR-069 §A.3.2.3 (Writable); TR-106 §2.3 (profile access)',
    'Expect read-only parameters not writable, readWrite ones writable (writeOnceReadOnly either), single objects not writable, tables writable only where instances may be added',
    (ctx: CaseContext) =>
      expectNone(ctx, 'DM-006', ['writability-mismatch'], 'every Writable as defined'),
  ),
  dmCase(
    'DM-007',
    'Every value is valid for its type, range, enumeration, pattern and size',
    'TR-106 §3.2 (data types and facets)',
    'Expect each value GetParameterValues gives (hidden ones aside) to fit its definition',
    (ctx: CaseContext) => expectNone(ctx, 'DM-007', ['invalid-value'], 'every value valid'),
  ),
  dmCase(
    'DM-008',
    'Vendor extensions are named X_<OUI>_… or X_<DOMAIN>_…',
    'TR-106 §3.3 (vendor-specific parameters)',
    'Expect every X_ segment to carry six upper-case hex digits (OUI or CID) or an upper-case domain name with hyphens for dots',
    (ctx: CaseContext) =>
      expectNone(ctx, 'DM-008', ['bad-vendor-extension-name'], 'every vendor extension well named'),
  ),
  dmCase(
    'DM-009',
    'No name is newer than the data-model version the DUT claims',
    'TR-106 §2.2 (versions); TR-181 Device.RootDataModelVersion',
    'Expect no object or parameter the definitions date after the claimed version',
    async (ctx: CaseContext) => {
      const { definitions, claims } = await analysis(ctx, 'DM-009');
      if (definitions.versionOf === undefined)
        ctx.skip('the definitions carry no versions (give --datamodel the BBF XML)');
      if (claims.version === undefined) ctx.skip('the DUT claims no data-model version');
      await expectNone(ctx, 'DM-009', ['newer-than-claimed-version'], 'no name newer than claimed');
    },
  ),
  dmCase(
    'DM-010',
    'Each NumberOfEntries parameter counts the instances of its table',
    'TR-106 §3.1 (NumberOfEntries parameters)',
    'Expect each …NumberOfEntries value to equal the instances of its table GetParameterNames lists',
    (ctx: CaseContext) =>
      expectNone(ctx, 'DM-010', ['wrong-number-of-entries'], 'every NumberOfEntries right'),
  ),
  dmCase(
    'DM-011',
    'Parameters whose active notification is forced report Notification 2',
    'TR-069 §A.3.2.5; TR-106 §2.4 (activeNotify forceEnabled)',
    'Expect Notification 2 from GetParameterAttributes for every forceEnabled parameter',
    async (ctx: CaseContext) => {
      const { tree } = await analysis(ctx, 'DM-011');
      if (!tree.items.some((i) => i.notification !== undefined))
        ctx.skip('GetParameterAttributes answered for no parameter (DM-002 says which it refused)');
      await expectNone(ctx, 'DM-011', ['notification-not-forced'], 'forced notification active');
    },
    { rpcs: [...REQUIRES.rpcs, 'GetParameterAttributes'] },
  ),
];
