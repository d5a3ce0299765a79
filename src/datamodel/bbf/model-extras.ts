/**
 * What load-xml.ts leaves out of a BBF data-model document and a device check needs: the version each object and
 * parameter appeared in (its own `version`, else its object's) and the model's profiles (their
 * object and parameter requirements, `base` and `extends`). Facts only: no description text is read.
 */
import { CwmpDecodeError } from '../../cwmp/errors.ts';
import { WarningCollector } from '../../cwmp/warnings.ts';
import type { XmlDocument, XmlNode } from '../../cwmp/xml/document.ts';
import { parseXml } from '../../cwmp/xml/parse.ts';
import { DataModelLoadError } from '../load-error.ts';
import type { ModelProfileDefinition, ProfileObjectRequirement } from '../model-profile.ts';
import { expandInternalEntities } from './doctype.ts';
import { BBF_XML_LIMITS } from './load-xml.ts';
import { childElements } from './syntax.ts';

export interface ModelExtras {
  /** `Device:2.17`. */
  name: string;
  /** Version an item appeared in, by schema path (`Device.DeviceInfo.HostName` → `2.16`). */
  versions: Map<string, string>;
  profiles: Map<string, ModelProfileDefinition>;
}

/** A BBF document parsed with the limits of its size (entities expanded); throws DataModelLoadError. */
export function parseBbfDocument(text: string): XmlDocument {
  try {
    return parseXml(expandInternalEntities(text), BBF_XML_LIMITS, new WarningCollector());
  } catch (e) {
    if (e instanceof CwmpDecodeError)
      throw new DataModelLoadError('xml', `not well-formed XML: ${e.message}`, {}, e);
    throw e;
  }
}

/** The versions and profiles of every model in a BBF document. Throws DataModelLoadError. */
export function readModelExtras(text: string): ModelExtras[] {
  const doc = parseBbfDocument(text);
  const out: ModelExtras[] = [];
  for (const m of childElements(doc, doc.root)) {
    if (doc.local(m) !== 'model') continue;
    const name = doc.attribute(m, 'name') ?? '';
    const versions = new Map<string, string>();
    const profiles = new Map<string, ModelProfileDefinition>();
    for (const c of childElements(doc, m)) {
      const local = doc.local(c);
      if (local === 'object') readObjectVersions(doc, c, versions);
      else if (local === 'profile') {
        const profile = readProfile(doc, c);
        if (profile !== undefined) profiles.set(profile.name, profile);
      }
    }
    out.push({ name, versions, profiles });
  }
  return out;
}

function readObjectVersions(doc: XmlDocument, el: XmlNode, versions: Map<string, string>): void {
  const path = doc.attribute(el, 'name')?.trim();
  if (path === undefined) return;
  // An item without a version of its own (nor its object's) is left out: its version is not known.
  const own = doc.attribute(el, 'version');
  if (own !== undefined) versions.set(path, own);
  for (const p of childElements(doc, el)) {
    if (doc.local(p) !== 'parameter') continue;
    const name = doc.attribute(p, 'name')?.trim();
    const v = doc.attribute(p, 'version') ?? own;
    if (name !== undefined && v !== undefined) versions.set(path + name, v);
  }
}

function readProfile(doc: XmlDocument, el: XmlNode): ModelProfileDefinition | undefined {
  const name = doc.attribute(el, 'name');
  if (name === undefined) return undefined;
  const objects: ProfileObjectRequirement[] = [];
  for (const o of childElements(doc, el)) {
    if (doc.local(o) !== 'object') continue;
    const path = doc.attribute(o, 'ref')?.trim();
    if (path === undefined) continue;
    const parameters: { name: string; requirement: string }[] = [];
    for (const p of childElements(doc, o)) {
      if (doc.local(p) !== 'parameter') continue;
      const ref = doc.attribute(p, 'ref')?.trim();
      if (ref !== undefined)
        parameters.push({ name: ref, requirement: doc.attribute(p, 'requirement') ?? 'readOnly' });
    }
    objects.push({ path, requirement: doc.attribute(o, 'requirement') ?? 'present', parameters });
  }
  const base = doc.attribute(el, 'base');
  const extended = (doc.attribute(el, 'extends') ?? '').split(/\s+/).filter((x) => x !== '');
  return {
    name,
    ...(base === undefined || base === '' ? {} : { base }),
    ...(extended.length === 0 ? {} : { extends: extended }),
    objects,
  };
}
