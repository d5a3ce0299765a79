/**
 * The console's one door to the API: same-origin fetch with the session cookie, the CSRF token on every request
 * that changes something, and errors as ApiError carrying the API's `{ error: { code, message, field } }`.
 */

export interface User {
  name: string;
  role: 'read-only' | 'operator' | 'admin';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when a request meets a 401 (the session expired or was ended elsewhere). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export type Query = Record<
  string,
  string | number | boolean | readonly (string | number)[] | undefined
>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

export function headersFor(
  method: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken !== '')
    headers['x-csrf-token'] = csrfToken;
  return headers;
}

export async function errorOf(status: number, text: string): Promise<ApiError> {
  let code = `http-${status}`;
  let message = text.trim() || `HTTP ${status}`;
  let field: string | undefined;
  try {
    const body = JSON.parse(text) as {
      error?: { code?: string; message?: string; field?: string };
    };
    if (body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      field = body.error.field;
    }
  } catch {
    // not JSON: the text is the message
  }
  return new ApiError(status, code, message, field);
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { query?: Query; quiet401?: boolean } = {},
): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: headersFor(method, body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (e) {
    throw new ApiError(0, 'network', `The server could not be reached (${(e as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) onUnauthenticated();
    throw await errorOf(response.status, text);
  }
  if (text === '') return undefined as T;
  return JSON.parse(text) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) =>
    request<T>('GET', path, undefined, { query: query ?? {} }),
  post: <T>(path: string, body?: unknown, query?: Query) =>
    request<T>('POST', path, body ?? {}, { query: query ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** Uploads raw bytes with progress (fetch has no upload progress; XMLHttpRequest does). */
export function upload<T>(
  path: string,
  file: Blob,
  onProgress: (loaded: number, total: number) => void,
): { done: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', path);
    for (const [k, v] of Object.entries(
      headersFor('POST', { 'content-type': 'application/octet-stream' }),
    ))
      xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = async () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as T);
      else reject(await errorOf(xhr.status, xhr.responseText));
    };
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          'network',
          'The upload was interrupted: the connection closed (a file larger than the server takes, --max-file-bytes, is cut off this way).',
        ),
      );
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** Device ids hold characters a path segment must escape. */
export const enc = encodeURIComponent;

export function message(e: unknown): string {
  if (e instanceof ApiError) return e.field ? `${e.message} (${e.field})` : e.message;
  return e instanceof Error ? e.message : String(e);
}
