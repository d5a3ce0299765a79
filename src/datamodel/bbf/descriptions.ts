/**
 * The description text of a BBF data-model document a user loads (`corral serve --datamodel`): shown with a
 * definition through the API. Corral's own shipped tables never carry any (the BBF's text is not Corral's to ship);
 * a user's file is theirs to show them.
 */

import { parseBbfDocument } from './model-extras.ts';
import { childElements } from './syntax.ts';

/** Long descriptions are cut here: a definition view is not the place for a whole chapter. */
const MAX_DESCRIPTION = 4096;

function tidy(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DESCRIPTION ? `${flat.slice(0, MAX_DESCRIPTION - 1)}…` : flat;
}

/** Schema path (`Device.DeviceInfo.`, `Device.DeviceInfo.SoftwareVersion`) → its description, every model's. */
export function readDescriptions(text: string): Map<string, string> {
  const doc = parseBbfDocument(text);
  const out = new Map<string, string>();
  for (const model of childElements(doc, doc.root)) {
    if (doc.local(model) !== 'model') continue;
    for (const object of childElements(doc, model)) {
      if (doc.local(object) !== 'object') continue;
      const path = doc.attribute(object, 'name')?.trim();
      if (path === undefined) continue;
      for (const child of childElements(doc, object)) {
        const local = doc.local(child);
        if (local === 'description') {
          const d = tidy(doc.text(child));
          if (d !== '') out.set(path, d);
        } else if (local === 'parameter') {
          const name = doc.attribute(child, 'name')?.trim();
          const description = [...childElements(doc, child)].find(
            (c) => doc.local(c) === 'description',
          );
          if (name === undefined || description === undefined) continue;
          const d = tidy(doc.text(description));
          if (d !== '') out.set(path + name, d);
        }
      }
    }
  }
  return out;
}
