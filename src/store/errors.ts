/**
 * Why a store operation failed. Stable strings: callers switch on them (the API maps not-found to 404,
 * conflict to 409, invalid to 400), tests assert them.
 */
export type StoreErrorCode =
  /** The device, task, credential or key named does not exist. */
  | 'not-found'
  /** The operation does not fit the record's current state (a task claimed by another session, a duplicate). */
  | 'conflict'
  /** The input itself is wrong (a malformed device id, an unknown task type, a key of the wrong size). */
  | 'invalid'
  /** A secret at rest could not be decrypted: wrong key, or the ciphertext was altered or moved to another row. */
  | 'decrypt-failed'
  /** The storage was written by a newer Corral (its schema version is one this code does not know). */
  | 'schema-too-new'
  /** The store was closed. */
  | 'closed'
  /** The disk failed to make a commit durable: nothing more is written until the store is opened again. */
  | 'disk-failed';

/** What kind of record an error is about. */
export type StoreEntity =
  | 'device'
  | 'parameter'
  | 'task'
  | 'credential'
  | 'api-key'
  | 'trace'
  | 'file'
  | 'preset'
  | 'campaign'
  | 'user'
  | 'store';

const MAX_DETAIL = 200;

/**
 * A typed store failure. Its message never carries a secret, and device-controlled text in it is cut short
 * (a device id may be 30 kB of escaped hostile input).
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly entity: StoreEntity;

  constructor(code: StoreErrorCode, entity: StoreEntity, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.entity = entity;
  }

  toJSON(): { code: StoreErrorCode; entity: StoreEntity; message: string } {
    return { code: this.code, entity: this.entity, message: this.message };
  }
}

/** `text` cut to a length fit for an error message, with control and bidi characters made visible. */
export function excerpt(text: string): string {
  const short =
    text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…(${text.length} chars)` : text;
  return JSON.stringify(short).replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function notFound(entity: StoreEntity, what: string): StoreError {
  return new StoreError('not-found', entity, `${entity} ${what} not found`);
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
