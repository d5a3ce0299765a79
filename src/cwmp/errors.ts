/** Why a CWMP message could not be decoded. Stable strings: callers switch on them, tests assert them. */
export type DecodeErrorCode =
  | 'empty-message'
  | 'message-too-large'
  | 'doctype-forbidden'
  | 'xml-syntax'
  | 'undefined-entity'
  | 'unbound-prefix'
  | 'depth-exceeded'
  | 'too-many-elements'
  | 'too-many-attributes'
  | 'not-soap-envelope'
  | 'missing-body'
  | 'unexpected-body'
  | 'missing-field'
  | 'invalid-field'
  | 'field-too-long';

/** Where in the message a problem is: a byte-free character offset with line and column, and/or an element path. */
export interface SourceLocation {
  offset?: number;
  line?: number;
  column?: number;
  /** Element path such as `Envelope/Body/Inform/DeviceId/OUI`. */
  path?: string;
}

/**
 * A message that cannot be decoded. A typed value, never a crash: the ACS answers it with HTTP 400 (and a CWMP
 * fault 8003 where one applies), `corral decode` prints it and exits 2.
 */
export class CwmpDecodeError extends Error {
  override readonly name = 'CwmpDecodeError';
  readonly code: DecodeErrorCode;
  readonly location: SourceLocation;

  constructor(code: DecodeErrorCode, message: string, location: SourceLocation = {}) {
    super(`${message}${describeLocation(location)}`);
    this.code = code;
    this.location = location;
  }

  toJSON(): { code: DecodeErrorCode; message: string; location: SourceLocation } {
    return { code: this.code, message: this.message, location: this.location };
  }
}

function describeLocation(location: SourceLocation): string {
  const parts: string[] = [];
  if (location.line !== undefined) parts.push(`line ${location.line}, column ${location.column}`);
  if (location.path !== undefined) parts.push(`at ${location.path}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Line and column (1-based) of a character offset; computed only when an error is reported. */
export function locate(text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: end - lineStart + 1 };
}
