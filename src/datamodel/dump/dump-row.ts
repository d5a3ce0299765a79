/** One line of a parameter dump, whatever format it came in (JSON, genieacs CSV): see profileFromDump. */

export interface DumpRow {
  /** A parameter name, or an object path ending in '.'. */
  path: string;
  object: boolean;
  /** For a parameter: SetParameterValues works on it. For a table or instance: AddObject / DeleteObject work. */
  writable?: boolean;
  value?: string;
  /** The xsd type's local name (`unsignedInt`); a prefix such as `xsd:` is removed when rows are made. */
  type?: string;
  notification?: number;
  accessList?: string[];
  /** Where the row came from, for messages: `line 12`, `entry 3`. */
  source?: string;
}

/** `xsd:unsignedInt` → `unsignedInt`; '' stays ''. */
export function localTypeName(type: string): string {
  const t = type.trim();
  const colon = t.indexOf(':');
  return colon === -1 ? t : t.slice(colon + 1);
}
