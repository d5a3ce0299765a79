/**
 * The simulated devices' vendor configuration file: what Upload "1 Vendor Configuration File" sends, and what
 * Download "3 Vendor Configuration File" restores. One writable parameter per line, `path<TAB>xsd-type<TAB>value`,
 * after a header line; values escaped so that any string survives the round trip. A file that is not one of these
 * is refused as corrupted (9018).
 */
import { CwmpFault, FaultCode } from '../../cwmp/index.ts';
import { wireType } from '../../datamodel/definition.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { parametersUnder, rootEntry } from '../model/traversal.ts';

export const CONFIG_FILE_HEADER = '# Corral vendor configuration file v1';
export const CONFIG_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** Every writable parameter of the device whose value could be written back (passwords included: it is the device's backup). */
export function generateConfigFile(
  model: DeviceModel,
  identity: { serialNumber: string; time: string },
): Buffer {
  const lines = [CONFIG_FILE_HEADER, `# device ${identity.serialNumber} at ${identity.time}`];
  for (const p of parametersUnder(model, rootEntry(model))) {
    if (!model.isWritable(p.path, p.node)) continue;
    const value = model.valueOf(p.path, p.node);
    // A value only the device may report (DiagnosticsState "None") is state, not configuration.
    if (!model.checkAcsWrite(p.path, value).ok) continue;
    lines.push(`${p.path}\t${wireType(p.node.definition.syntax)}\t${escapeValue(value)}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/**
 * Applies a configuration file as the device's own configuration (no value-change notification: the ACS asked for
 * it, and the device reboots to apply it). Atomic: a file with any unknown, read-only or invalid entry changes
 * nothing and throws CwmpFault 9018.
 */
export function applyConfigFile(model: DeviceModel, file: Buffer): number {
  const text = file.toString('utf8');
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== CONFIG_FILE_HEADER) {
    throw new CwmpFault(FaultCode.FileCorrupted, undefined, {
      cause: 'not a Corral configuration file',
    });
  }
  const changes = [];
  for (const line of lines.slice(1)) {
    if (line === '' || line.startsWith('#')) continue;
    const [path, type, raw] = line.split('\t');
    if (path === undefined || type === undefined || raw === undefined) {
      throw new CwmpFault(FaultCode.FileCorrupted, undefined, {
        cause: `malformed line: ${line.slice(0, 80)}`,
      });
    }
    const check = model.checkAcsWrite(path, unescapeValue(raw), type);
    if (!check.ok)
      throw new CwmpFault(FaultCode.FileCorrupted, undefined, {
        cause: `${path}: ${check.reason}`,
      });
    changes.push(check);
  }
  model.applyAcsValues(changes);
  return changes.length;
}

function escapeValue(value: string): string {
  return value.replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
  );
}

function unescapeValue(value: string): string {
  return value.replace(
    /\\([\\tnr])/g,
    (_m, c: string) => ({ '\\': '\\', t: '\t', n: '\n', r: '\r' })[c]!,
  );
}
