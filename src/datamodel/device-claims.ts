/**
 * What a device claims of its own data model: its root object, the version it follows (Device:2's
 * RootDataModelVersion, or the version DeviceSummary gives its root, TR-106 §3.7) and the profiles it says it
 * implements (DeviceSummary's list, `InternetGatewayDevice:1.4[](Baseline:1, EthernetLAN:1)`, and
 * DeviceInfo.SupportedDataModel.{i}.Features), with whatever in those claims contradicts itself.
 */

export interface DeviceClaims {
  /** `Device.` or `InternetGatewayDevice.`. */
  readonly root: string;
  /** `2.17`, when the device says. */
  readonly version?: string;
  /** Profile names of the root's model: `Baseline:1`. */
  readonly profiles: readonly string[];
}

export interface ClaimProblem {
  path: string;
  message: string;
}

/** At most `max` characters of an untrusted string, quoted with its control characters escaped. */
export function quote(text: string, max = 64): string {
  const cut = [...text];
  return cut.length > max ? `${JSON.stringify(cut.slice(0, max).join(''))}…` : JSON.stringify(text);
}

/** `1.4` < `1.14`: versions compare by number, part by part. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

const SUMMARY_ENTRY = /([A-Za-z][A-Za-z0-9_-]*):(\d+\.\d+)\[(\d*)\]\(([^)]*)\)/g;
const PROFILE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*:\d+$/;

/** The claims in the device's reported values (by concrete path) and what is incoherent in them. */
export function claimsOf(
  root: string,
  values: ReadonlyMap<string, string>,
): { claims: DeviceClaims; problems: ClaimProblem[] } {
  const problems: ClaimProblem[] = [];
  const rootName = root.slice(0, -1);
  const profiles = new Set<string>();
  let version: string | undefined;

  const rdmvPath = `${root}RootDataModelVersion`;
  const rdmv = values.get(rdmvPath);
  if (rdmv !== undefined && rdmv !== '') {
    if (/^\d+\.\d+$/.test(rdmv)) version = rdmv;
    else problems.push({ path: rdmvPath, message: `${quote(rdmv)} is not a version such as 2.17` });
    if (rootName === 'Device' && version !== undefined && !version.startsWith('2.'))
      problems.push({ path: rdmvPath, message: `${quote(rdmv)} is not a Device:2 version (2.x)` });
  }

  const summaryPath = `${root}DeviceSummary`;
  const summary = values.get(summaryPath);
  if (summary !== undefined && summary !== '') {
    const entries = [...summary.matchAll(SUMMARY_ENTRY)];
    const own = entries.filter((e) => e[1] === rootName);
    if (own.length === 0) {
      problems.push({
        path: summaryPath,
        message: `${quote(summary)} names no ${rootName} model (the root object is ${root})`,
      });
    }
    for (const e of own) {
      for (const p of e[4]!.split(',').map((s) => s.trim()))
        if (PROFILE_NAME.test(p)) profiles.add(p);
      if (version === undefined) version = e[2];
      else if (e[2] !== version) {
        problems.push({
          path: summaryPath,
          message: `claims ${rootName}:${e[2]} but RootDataModelVersion is ${version}`,
        });
      }
    }
  }

  // SupportedDataModel.{i}.URN names the BBF document, tr-181-2-17-0: the newest must be the root's version.
  const supported = `${root}DeviceInfo.SupportedDataModel.`;
  let newestUrn: { version: string; path: string } | undefined;
  for (const [path, value] of values) {
    if (!path.startsWith(supported)) continue;
    if (path.endsWith('.Features')) {
      for (const f of value.split(',').map((s) => s.trim()))
        if (PROFILE_NAME.test(f)) profiles.add(f);
    } else if (path.endsWith('.URN')) {
      const m = /tr-181-(\d+)-(\d+)/.exec(value);
      const v = m === null ? undefined : `${m[1]}.${m[2]}`;
      if (v !== undefined && (newestUrn === undefined || compareVersions(v, newestUrn.version) > 0))
        newestUrn = { version: v, path };
    }
  }
  if (newestUrn !== undefined && version !== undefined && newestUrn.version !== version) {
    problems.push({
      path: newestUrn.path,
      message: `the newest data model listed is ${newestUrn.version} but the root claims ${version}`,
    });
  }
  return {
    claims: { root, ...(version === undefined ? {} : { version }), profiles: [...profiles] },
    problems,
  };
}
