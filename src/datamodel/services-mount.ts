/**
 * Service models (TR-104's VoiceService:2) define their tables from `VoiceService.{i}.`; devices mount them under
 * their root's `Services.` object. Definitions hold them mounted the same way, so that one walk resolves both.
 */
import type { DataModelDefinition } from './definition.ts';

/** A service model's tables under a `Services.` root, as TR-181 and TR-098 mount them. */
export function mountedUnderServices(service: DataModelDefinition): DataModelDefinition {
  return {
    name: service.name,
    objects: [
      {
        path: 'Services.',
        access: 'readOnly',
        minEntries: 1,
        maxEntries: 1,
        // The count TR-181 and TR-098 define beside the mount point (VoiceServiceNumberOfEntries).
        parameters: service.objects
          .filter((o) => o.numEntriesParameter !== undefined && o.path.split('.').length === 3)
          .map((o) => ({
            name: o.numEntriesParameter!,
            access: 'readOnly' as const,
            syntax: { type: 'unsignedInt' as const },
          })),
      },
      ...service.objects.map((o) => ({ ...o, path: `Services.${o.path}` })),
    ],
  };
}
