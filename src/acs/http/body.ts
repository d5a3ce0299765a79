import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import type { BodyLease } from './body-budget.ts';

/** Why a request body was refused, with the HTTP status that says so (security.md item 8). */
export type BodyErrorReason =
  | 'too-large'
  | 'unsupported-encoding'
  | 'corrupt-encoding'
  | 'aborted'
  /** The ACS-wide budget of body bytes in flight is spent: try again later (503). */
  | 'busy';

export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    readonly reason: BodyErrorReason,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    switch (this.reason) {
      case 'too-large':
        return 413;
      case 'unsupported-encoding':
        return 415;
      case 'busy':
        return 503;
      default:
        return 400;
    }
  }
}

export interface BodyLimits {
  /** Most bytes accepted on the wire. */
  maxBytes: number;
  /** Most bytes a compressed body may expand to (a 1 MB gzip can expand to 1 GB). */
  maxDecodedBytes: number;
}

/**
 * Read a request body within limits: refused at once when Content-Length says it is too large, cut off as soon as
 * the bytes received pass the limit (never buffering an attacker's 100 MB), and gzip/deflate bodies inflated as
 * they arrive, refused as soon as their output passes the decoded limit — a bomb costs the limit, never its
 * expansion. Every byte kept is taken from `lease` (the ACS-wide budget) first; the caller releases the lease
 * once it is done with the body.
 */
export async function readBody(
  req: IncomingMessage,
  limits: BodyLimits,
  lease?: BodyLease,
): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limits.maxBytes) {
    throw new BodyError(
      'too-large',
      `body of ${declared} bytes exceeds the limit of ${limits.maxBytes}`,
    );
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let inflater: Gunzip | Inflate | null;
  switch (encoding) {
    case 'identity':
      inflater = null;
      break;
    case 'gzip':
    case 'x-gzip':
      inflater = createGunzip();
      break;
    case 'deflate':
      inflater = createInflate();
      break;
    default:
      throw new BodyError(
        'unsupported-encoding',
        `Content-Encoding "${encoding.slice(0, 40)}" is not supported`,
      );
  }
  return collect(req, limits, inflater, encoding, lease);
}

function collect(
  req: IncomingMessage,
  limits: BodyLimits,
  inflater: Gunzip | Inflate | null,
  encoding: string,
  lease: BodyLease | undefined,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wire = 0;
    let kept = 0;
    let settled = false;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('aborted', onAborted);
      if (inflater !== null) {
        inflater.off('data', onInflated);
        inflater.off('end', onDone);
        inflater.off('error', onCorrupt);
        // Errors after the refusal (a truncated stream we stopped feeding) are of no interest.
        inflater.on('error', () => {});
        inflater.destroy();
      }
    };
    const fail = (error: BodyError) => {
      if (settled) return;
      settled = true;
      cleanup();
      // Stop reading; the caller answers and closes the connection.
      req.pause();
      reject(error);
    };
    const keep = (chunk: Buffer, limit: number, what: string) => {
      if (settled) return;
      kept += chunk.length;
      if (kept > limit) {
        fail(new BodyError('too-large', `body ${what} the limit of ${limit} bytes`));
        return;
      }
      if (lease !== undefined && !lease.take(chunk.length)) {
        fail(new BodyError('busy', 'the ACS is reading too many large bodies; try again later'));
        return;
      }
      chunks.push(chunk);
    };
    const onData = (chunk: Buffer) => {
      wire += chunk.length;
      if (wire > limits.maxBytes) {
        fail(new BodyError('too-large', `body exceeds the limit of ${limits.maxBytes} bytes`));
        return;
      }
      if (inflater === null) keep(chunk, limits.maxBytes, 'exceeds');
      else inflater.write(chunk);
    };
    const onInflated = (chunk: Buffer) => keep(chunk, limits.maxDecodedBytes, 'expands past');
    const onDone = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(Buffer.concat(chunks, kept));
    };
    const onEnd = () => {
      if (inflater === null) onDone();
      // An empty compressed body is an empty body (quirk 15: only the length matters).
      else if (wire === 0) onDone();
      else inflater.end();
    };
    const onCorrupt = () =>
      fail(new BodyError('corrupt-encoding', `body is not valid ${encoding} data`));
    const onAborted = () =>
      fail(new BodyError('aborted', 'the connection failed while the body was being read'));
    if (inflater !== null) {
      inflater.on('data', onInflated);
      inflater.on('end', onDone);
      inflater.on('error', onCorrupt);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('aborted', onAborted);
  });
}
