/** The few REST API calls the bench makes: presets, tasks, a device count, a metric. */
import { encodeDeviceId } from '../../store/device-id.ts';

export interface Api {
  url: string;
  key: string;
}

export const BENCH_OUI = '00D09E';

export function deviceId(productClass: string, serialNumber: string): string {
  return encodeDeviceId({ oui: BENCH_OUI, productClass, serialNumber });
}

async function call(api: Api, method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, api.url), {
    method,
    headers: {
      Authorization: `Bearer ${api.key}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text };
}

async function json(api: Api, method: string, path: string, body?: unknown): Promise<unknown> {
  const { status, text } = await call(api, method, path, body);
  if (status >= 300) throw new Error(`${method} ${path}: ${status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

export async function putPreset(api: Api, name: string, preset: unknown): Promise<void> {
  await json(api, 'PUT', `/api/v1/presets/${encodeURIComponent(name)}`, preset);
}

/** Devices of one ProductClass, as the API counts them. */
export async function countDevices(api: Api, productClass: string): Promise<number> {
  const filter = JSON.stringify([
    { kind: 'field', field: 'productClass', op: 'eq', value: productClass },
  ]);
  const answer = (await json(
    api,
    'GET',
    `/api/v1/devices?limit=1&filter=${encodeURIComponent(filter)}`,
  )) as { total: number };
  return answer.total;
}

/** A counter's value from /metrics (the sum over the series matching `labels`). */
export async function metric(api: Api, name: string, labels = ''): Promise<number> {
  const { status, text } = await call(api, 'GET', '/metrics');
  if (status !== 200) throw new Error(`GET /metrics: ${status}`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || !line.includes(labels)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Queues a task with a connection request and waits for it: the answer's status and the task's state. */
export async function taskRoundTrip(
  api: Api,
  id: string,
  task: unknown,
  waitSeconds: number,
): Promise<{ status: number; state: string; connectionRequest: string }> {
  const { status, text } = await call(
    api,
    'POST',
    `/api/v1/devices/${encodeURIComponent(id)}/tasks?connectionRequest=true&wait=${waitSeconds}`,
    task,
  );
  let parsed: { task?: { state?: string }; connectionRequest?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Reported as the status below.
  }
  return {
    status,
    state: parsed.task?.state ?? text.slice(0, 120),
    connectionRequest: JSON.stringify(parsed.connectionRequest ?? null),
  };
}
