/** Which listener failed, as the user configured it. */
export interface Listener {
  /** `CWMP`, `REST API`, `file server`. */
  service: string;
  /** The flags' prefix: `cwmp`, `api`, `file`. */
  flag: string;
  host: string;
  port: number;
}

/** A listener that could not open: what the user can do something about, in one line. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/**
 * `EADDRINUSE` and its kind, as a sentence naming the port and the flag that sets it; null for anything
 * else (a bug, reported as one).
 */
export function listenErrorLine(listener: Listener, error: unknown): string | null {
  const { service, flag, host, port } = listener;
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return `the ${service} port ${port} on ${host} is in use (--${flag}-port)`;
    case 'EACCES':
      return `no permission to listen on the ${service} port ${port} on ${host} (--${flag}-port; ports below 1024 need privileges)`;
    case 'EADDRNOTAVAIL':
      return `the ${service} address ${host} is not one of this machine's (--${flag}-host)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the ${service} host ${host} cannot be resolved (--${flag}-host)`;
    default:
      return null;
  }
}

/** Runs `start`, turning a listening error the user can fix into a ListenError. */
export async function listening<T>(listener: Listener, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const line = listenErrorLine(listener, error);
    throw line === null ? error : new ListenError(line);
  }
}
