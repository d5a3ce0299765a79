import { isStoreError, type StoreErrorCode } from '../store/errors.ts';

/**
 * The API's error codes: stable strings that clients switch on. Every error response is
 * `{ "error": { "code", "message", "field"?, "details"? } }`; `field` names the offending input (`wait`,
 * `parameters[0].name`, `filter[1].op`) when one is to blame, and `details` lists one problem per field when
 * there are several (each `{ field, message }`: per-parameter SetParameterValues checks, for one). Messages
 * never carry a secret or a request body.
 */
export type ApiErrorCode =
  /** No API key, or one that is unknown, revoked or expired (401). */
  | 'unauthenticated'
  /** The key's role may not do this (403). */
  | 'forbidden'
  /** The route, device, task, key or credential does not exist (404). */
  | 'not-found'
  /** The request does not fit the record's state: a running task cancelled, a username taken (409). */
  | 'conflict'
  /** A field is missing, unknown, or out of range (400). */
  | 'invalid'
  /** The body is not JSON (400). */
  | 'malformed-json'
  /** The body is over the cap (413). */
  | 'body-too-large'
  /** The body is not `application/json` (415). */
  | 'unsupported-media-type'
  /** Too many failed authentications from this address or for this key: wait Retry-After seconds (429). */
  | 'too-many-requests'
  /** The device's data model says the write is wrong: an unknown name, a read-only parameter, a bad value (422). */
  | 'model-violation'
  /** A browser's change without the session's `X-CSRF-Token` (403). */
  | 'csrf'
  /** The store is closed or the server is shutting down (503). */
  | 'unavailable'
  /** Something failed inside Corral; the log says what (500). */
  | 'internal';

export const API_ERROR_STATUS: { readonly [C in ApiErrorCode]: number } = {
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  'model-violation': 422,
  'not-found': 404,
  conflict: 409,
  invalid: 400,
  'malformed-json': 400,
  'body-too-large': 413,
  'unsupported-media-type': 415,
  'too-many-requests': 429,
  unavailable: 503,
  internal: 500,
};

/** One problem with one field, when an error has several (`details`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string; details?: FieldProblem[] };
}

/** A typed API failure, thrown by handlers and turned into its status and JSON body by the error handler. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly details: readonly FieldProblem[] | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    field?: string,
    details?: readonly FieldProblem[],
  ) {
    super(message);
    this.code = code;
    this.field = field;
    this.details = details;
  }

  get status(): number {
    return API_ERROR_STATUS[this.code];
  }

  toJSON(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field !== undefined ? { field: this.field } : {}),
        ...(this.details !== undefined ? { details: this.details.map((d) => ({ ...d })) } : {}),
      },
    };
  }
}

const STORE_CODES: { readonly [C in StoreErrorCode]: ApiErrorCode } = {
  'not-found': 'not-found',
  conflict: 'conflict',
  invalid: 'invalid',
  'decrypt-failed': 'internal',
  'schema-too-new': 'internal',
  closed: 'unavailable',
  'disk-failed': 'unavailable',
};

/** A StoreError as an ApiError (its message is safe: the store never puts a secret in one), else null. */
export function fromStoreError(error: unknown, field?: string): ApiError | null {
  if (!isStoreError(error)) return null;
  const code = STORE_CODES[error.code];
  if (code === 'internal') return new ApiError('internal', 'internal error');
  if (code === 'unavailable') return new ApiError('unavailable', 'the store is closed');
  return new ApiError(code, error.message, field);
}

/** What Ajv reports for one failed keyword (the part of `ErrorObject` used here). */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  /** The schema holding the failing keyword (Ajv's `verbose`): a discriminator's branches, to list its values. */
  parentSchema?: unknown;
}

/** `a, b or c`: allowed values as a client writes them (strings bare, others as JSON). */
function oneOf(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

/** The values of `tag` a discriminated `oneOf` takes, from its branches' `const`s; empty if none can be read. */
function tagValues(parentSchema: unknown, tag: string): unknown[] {
  const branches = (parentSchema as { oneOf?: unknown } | undefined)?.oneOf;
  if (!Array.isArray(branches)) return [];
  const values: unknown[] = [];
  for (const branch of branches) {
    const property = (branch as { properties?: Record<string, { const?: unknown }> })?.properties?.[
      tag
    ];
    if (property !== undefined && 'const' in property) values.push(property.const);
  }
  return values;
}

/** `/parameters/0/name` → `parameters[0].name`, prefixed by `base` (`filter` → `filter[0].op`). */
export function fieldOf(instancePath: string, base = ''): string {
  let out = base;
  for (const raw of instancePath.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

/**
 * The first validation issue as an ApiError naming its field. Ajv's messages name only the rule broken
 * ("must be <= 60"), never the value given, so they are safe to return.
 */
export function fromValidation(
  issues: readonly ValidationIssue[],
  base = '',
  whole = base,
): ApiError {
  // A failed discriminator or union reports its branch errors first; the most specific is the first.
  const issue = issues[0];
  if (issue === undefined)
    return new ApiError('invalid', `${whole || 'the request'} is invalid`, whole || undefined);
  const at = fieldOf(issue.instancePath, base);
  const join = (name: string) => (at === '' ? name : `${at}.${name}`);
  switch (issue.keyword) {
    case 'required': {
      const field = join(String(issue.params.missingProperty));
      return new ApiError('invalid', `${field} is required`, field);
    }
    case 'additionalProperties': {
      const field = join(String(issue.params.additionalProperty));
      return new ApiError('invalid', `${field} is not a known field`, field);
    }
    case 'discriminator': {
      const field = join(String(issue.params.tag));
      const values = tagValues(issue.parentSchema, String(issue.params.tag));
      return new ApiError(
        'invalid',
        values.length === 0
          ? `${field} is missing or not one of the documented values`
          : `${field} must be one of ${oneOf(values)}`,
        field,
      );
    }
    case 'enum':
    case 'const': {
      const field = at === '' ? whole : at;
      const allowed = issue.params.allowedValues ?? [issue.params.allowedValue];
      return new ApiError(
        'invalid',
        `${field === '' ? 'the request' : field} must be one of ${oneOf(allowed as unknown[])}`,
        field || undefined,
      );
    }
    default: {
      const field = at === '' ? whole : at;
      const what = field === '' ? 'the request' : field;
      return new ApiError(
        'invalid',
        `${what} ${issue.message ?? 'is invalid'}`,
        field || undefined,
      );
    }
  }
}

/** 429 after too many failures (API keys, logins): Retry-After set, the wait said in the message. */
export function tooManyFailures(
  reply: { header(name: string, value: string): unknown },
  what: string,
  retryAfterSeconds: number,
): ApiError {
  reply.header('retry-after', String(retryAfterSeconds));
  return new ApiError(
    'too-many-requests',
    `too many failed ${what}; retry after ${retryAfterSeconds} s`,
  );
}
