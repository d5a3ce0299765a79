/** Why a data-model source (BBF XML, a JSON or CSV parameter dump) could not be loaded. */

export type LoadErrorCode =
  /** Not well-formed XML, or beyond the parser's limits. */
  | 'xml'
  /** A DOCTYPE the loader does not accept (external subset, parameter entities, oversized expansion). */
  | 'doctype'
  /** Well-formed, but not a BBF `dm:document`. */
  | 'not-a-data-model'
  /** A component file that imports others: load the flattened `-full.xml` instead. */
  | 'imports-components'
  | 'no-model'
  | 'ambiguous-model'
  | 'unknown-data-type'
  | 'data-type-cycle'
  /** A syntax, object or parameter element that does not follow the DM schema. */
  | 'bad-definition'
  | 'csv-syntax'
  | 'csv-header'
  | 'json-syntax'
  | 'json-shape'
  /** A dump with no parameter of a data model in it, or rows that contradict each other. */
  | 'bad-dump';

export interface LoadLocation {
  /** 1-based. */
  line?: number;
  column?: number;
  /** The object, parameter or row the problem is about. */
  item?: string;
}

export class DataModelLoadError extends Error {
  override readonly name = 'DataModelLoadError';
  readonly code: LoadErrorCode;
  readonly location: LoadLocation | undefined;

  constructor(code: LoadErrorCode, message: string, location?: LoadLocation, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.location = location;
  }
}
