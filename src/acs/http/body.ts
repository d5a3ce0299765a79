import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** Why a request body was refused, with the HTTP status that says so (security.md item 8). */
export type BodyErrorReason = 'too-large' | 'unsupported-encoding' | 'corrupt-encoding' | 'aborted';

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
 * the bytes received pass the limit (never buffering an attacker's 100 MB), and gzip/deflate bodies decompressed
 * with a cap on their output.
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limits.maxBytes) {
    throw new BodyError(
      'too-large',
      `body of ${declared} bytes exceeds the limit of ${limits.maxBytes}`,
    );
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (
    encoding !== 'identity' &&
    encoding !== 'gzip' &&
    encoding !== 'x-gzip' &&
    encoding !== 'deflate'
  ) {
    throw new BodyError(
      'unsupported-encoding',
      `Content-Encoding "${encoding.slice(0, 40)}" is not supported`,
    );
  }
  const raw = await collect(req, limits.maxBytes);
  if (encoding === 'identity' || raw.length === 0) return raw;
  try {
    const options = { maxOutputLength: limits.maxDecodedBytes };
    return encoding === 'deflate'
      ? await inflateAsync(raw, options)
      : await gunzipAsync(raw, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyError(
        'too-large',
        `body expands past the limit of ${limits.maxDecodedBytes} bytes`,
      );
    }
    throw new BodyError('corrupt-encoding', `body is not valid ${encoding} data`);
  }
}

function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        // Stop reading; the caller answers 413 and closes the connection.
        req.pause();
        reject(new BodyError('too-large', `body exceeds the limit of ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = () => {
      cleanup();
      reject(new BodyError('aborted', 'the connection failed while the body was being read'));
    };
    const onAborted = onError;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
