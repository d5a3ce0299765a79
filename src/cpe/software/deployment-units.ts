/**
 * ChangeDUState's operations carried out (TR-069 A.4.1.10, cwmp-spec.md §8.6): Install fetches the deployment unit
 * from its URL (a real HTTP(S) GET) and creates it, with one execution unit, in SoftwareModules; Update fetches the
 * new version; Uninstall removes it. Each operation yields its OpResultStruct for DUStateChangeComplete, in order;
 * a failed operation carries its DU fault code and the others still run.
 *
 * A DU file may start with `CORRAL-DU name=<name> version=<version>`; otherwise its name comes from the URL's file
 * name and its version from a version-like token in it (else 1.0).
 */
import { createHash } from 'node:crypto';
import {
  CwmpFault,
  type DeploymentUnitOperation,
  FaultCode,
  formatDateTime,
} from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import type { FetchedFile } from '../transfers/file-client.ts';
import { checkTransferUrl } from '../transfers/file-client.ts';

export type OpResult = {
  UUID: string;
  DeploymentUnitRef: string;
  Version: string;
  CurrentState: string;
  Resolved: boolean;
  ExecutionUnitRefList: string;
  StartTime: string;
  CompleteTime: string;
  Fault: { FaultCode: number; FaultString?: string };
};

export interface DuContext {
  model: DeviceModel;
  fetch: (
    url: string,
    credentials: { username?: string; password?: string },
  ) => Promise<FetchedFile>;
  now: () => number;
}

const UUID =
  /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[1-5][a-fA-F0-9]{3}-[89ABab][a-fA-F0-9]{3}-[a-fA-F0-9]{12}$/;

/** The fault codes a DU operation may report (cwmp-1-2.xsd DeploymentUnitCPEFaultCodeType). */
function duFaultCode(code: number): number {
  if (code === FaultCode.DownloadFailure) return FaultCode.DownloadIncomplete;
  if (code === FaultCode.FileAuthenticationFailure) return FaultCode.FileCorrupted;
  return code;
}

/** A name-based UUID (version 5 layout) for a DU the ACS gave no UUID for. */
export function uuidFor(url: string): string {
  const h = createHash('sha1').update(`corral-du:${url}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function runDuOperations(
  ctx: DuContext,
  operations: readonly DeploymentUnitOperation[],
): Promise<OpResult[]> {
  const results: OpResult[] = [];
  for (const op of operations) {
    const start = formatDateTime(new Date(ctx.now()));
    try {
      const done = await runOne(ctx, op);
      results.push({
        ...done,
        StartTime: start,
        CompleteTime: formatDateTime(new Date(ctx.now())),
        Fault: { FaultCode: 0 },
      });
    } catch (error) {
      const fault =
        error instanceof CwmpFault
          ? error
          : new CwmpFault(FaultCode.InternalError, undefined, { cause: error });
      const code = duFaultCode(fault.code);
      results.push({
        UUID: 'UUID' in op && op.UUID !== undefined ? op.UUID : '',
        DeploymentUnitRef: '',
        Version: '',
        CurrentState: 'Failed',
        Resolved: false,
        ExecutionUnitRefList: '',
        StartTime: start,
        CompleteTime: formatDateTime(new Date(ctx.now())),
        Fault: {
          FaultCode: code,
          FaultString: code === fault.code ? fault.faultString : undefined,
        },
      });
    }
  }
  return results;
}

type Done = Omit<OpResult, 'StartTime' | 'CompleteTime' | 'Fault'>;

async function runOne(ctx: DuContext, op: DeploymentUnitOperation): Promise<Done> {
  const { model } = ctx;
  const sm = `${model.root}SoftwareModules.`;
  if (model.resolve(`${sm}DeploymentUnit.`)?.kind !== 'table') {
    throw new CwmpFault(FaultCode.RequestDenied, undefined, {
      cause: 'the device has no SoftwareModules',
    });
  }
  const fault = (code: number, cause: string) => new CwmpFault(code, undefined, { cause });
  switch (op.Operation) {
    case 'Install': {
      checkTransferUrl(op.URL);
      if (op.UUID !== undefined && op.UUID !== '' && !UUID.test(op.UUID))
        throw fault(FaultCode.InvalidUuidFormat, op.UUID);
      const uuid = op.UUID === undefined || op.UUID === '' ? uuidFor(op.URL) : op.UUID;
      const ee =
        op.ExecutionEnvRef === undefined || op.ExecutionEnvRef === ''
          ? `${sm}ExecEnv.1.`
          : op.ExecutionEnvRef;
      if (model.resolve(ee)?.kind !== 'instance' || !ee.startsWith(`${sm}ExecEnv.`)) {
        throw fault(FaultCode.UnknownExecutionEnvironment, ee);
      }
      if (model.getValue(`${ee}Enable`) !== 'true')
        throw fault(FaultCode.DisabledExecutionEnvironment, ee);
      if (findUnits(model, uuid).length > 0) throw fault(FaultCode.DuplicateDeploymentUnit, uuid);
      const file = await ctx.fetch(op.URL, { username: op.Username, password: op.Password });
      const manifest = readManifest(file, op.URL);
      const time = formatDateTime(new Date(ctx.now()));
      const du = `${sm}DeploymentUnit.${model.addInstance(`${sm}DeploymentUnit.`, 'device')}.`;
      const eu = `${sm}ExecutionUnit.${model.addInstance(`${sm}ExecutionUnit.`, 'device')}.`;
      setAll(model, eu, {
        EUID: uuid.slice(0, 8),
        Name: manifest.name.slice(0, 32),
        ExecEnvLabel: manifest.name.slice(0, 64),
        Status: 'Idle',
        RequestedState: 'Idle',
        Vendor: manifest.vendor,
        Version: manifest.version,
        ExecutionEnvRef: ee,
      });
      setAll(model, du, {
        UUID: uuid,
        DUID: du.slice(sm.length),
        Name: manifest.name,
        Status: 'Installed',
        Resolved: 'true',
        URL: op.URL,
        Vendor: manifest.vendor,
        Version: manifest.version,
        ExecutionUnitList: eu,
        ExecutionEnvRef: ee,
        Installed: time,
        LastUpdate: time,
      });
      return result(du, uuid, manifest.version, 'Installed', eu);
    }
    case 'Update': {
      const candidates = (op.UUID ? findUnits(model, op.UUID) : findByUrl(model, op.URL)).filter(
        (du) =>
          op.Version === undefined ||
          op.Version === '' ||
          model.getValue(`${du}Version`) === op.Version,
      );
      const du = candidates[0];
      if (du === undefined) throw fault(FaultCode.UnknownDeploymentUnit, op.UUID ?? op.URL ?? '');
      const url = op.URL === undefined || op.URL === '' ? model.getValue(`${du}URL`) : op.URL;
      checkTransferUrl(url);
      const file = await ctx.fetch(url, { username: op.Username, password: op.Password });
      const manifest = readManifest(file, url);
      const uuid = model.getValue(`${du}UUID`);
      if (manifest.version === model.getValue(`${du}Version`)) {
        throw fault(FaultCode.DeploymentUnitVersionExists, manifest.version);
      }
      const eus = model.getValue(`${du}ExecutionUnitList`);
      setAll(model, du, {
        Version: manifest.version,
        URL: url,
        Status: 'Installed',
        LastUpdate: formatDateTime(new Date(ctx.now())),
      });
      for (const eu of eus.split(',').filter((e) => e !== '')) {
        if (model.resolve(eu)?.kind === 'instance')
          setAll(model, eu, { Version: manifest.version });
      }
      return result(du, uuid, manifest.version, 'Installed', eus);
    }
    case 'Uninstall': {
      const du = findUnits(model, op.UUID).find(
        (d) =>
          (op.Version === undefined ||
            op.Version === '' ||
            model.getValue(`${d}Version`) === op.Version) &&
          (op.ExecutionEnvRef === undefined ||
            op.ExecutionEnvRef === '' ||
            model.getValue(`${d}ExecutionEnvRef`) === op.ExecutionEnvRef),
      );
      if (du === undefined) throw fault(FaultCode.UnknownDeploymentUnit, op.UUID);
      const version = model.getValue(`${du}Version`);
      for (const eu of model.getValue(`${du}ExecutionUnitList`).split(',')) {
        if (eu !== '' && model.resolve(eu)?.kind === 'instance') model.deleteInstance(eu, 'device');
      }
      model.deleteInstance(du, 'device');
      return result('', op.UUID, version, 'Uninstalled', '');
    }
  }
}

function result(ref: string, uuid: string, version: string, state: string, eus: string): Done {
  return {
    UUID: uuid,
    DeploymentUnitRef: ref,
    Version: version,
    CurrentState: state,
    Resolved: state === 'Installed',
    ExecutionUnitRefList: eus,
  };
}

function setAll(model: DeviceModel, prefix: string, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values))
    model.setLocalValue(`${prefix}${name}`, value, 'device');
}

function units(model: DeviceModel): string[] {
  const table = `${model.root}SoftwareModules.DeploymentUnit.`;
  return model.instances(table).map((n) => `${table}${n}.`);
}

function findUnits(model: DeviceModel, uuid: string): string[] {
  return units(model).filter(
    (du) => model.getValue(`${du}UUID`).toLowerCase() === uuid.toLowerCase(),
  );
}

function findByUrl(model: DeviceModel, url: string | undefined): string[] {
  if (url === undefined || url === '') return [];
  return units(model).filter((du) => model.getValue(`${du}URL`) === url);
}

function readManifest(
  file: FetchedFile,
  url: string,
): { name: string; version: string; vendor: string } {
  const first = file.head.subarray(0, 256).toString('latin1').split('\n')[0] ?? '';
  const m = /^CORRAL-DU\s+name=(\S{1,64})\s+version=(\S{1,32})/.exec(first);
  if (m !== null) return { name: m[1]!, version: m[2]!, vendor: 'Corral Networks' };
  let base = 'du';
  try {
    base = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || 'du';
  } catch {
    base = 'du';
  }
  const version = /(\d+(?:\.\d+)+)/.exec(base)?.[1] ?? '1.0';
  const name = base.replace(/\.[A-Za-z0-9]+$/, '').replace(/[-_]?v?\d+(?:\.\d+)+.*$/, '') || 'du';
  return { name: name.slice(0, 64), version: version.slice(0, 32), vendor: '' };
}
