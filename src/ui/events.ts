/**
 * Live updates: one EventSource on /api/v1/events for the whole console, shared by every page that listens.
 * The browser reconnects by itself; the status is shown in the header.
 */

export interface TaskEvent {
  taskId: number;
  deviceId: string;
  state: string;
}
export interface DeviceEvent {
  deviceId: string;
  change: 'inform' | 'parameters' | 'tags' | 'deleted';
}
export interface CampaignEvent {
  campaignId: number;
  state: string;
}
interface EventMap {
  task: TaskEvent;
  device: DeviceEvent;
  campaign: CampaignEvent;
}
export type LiveStatus = 'connecting' | 'live' | 'offline';

type Listener<K extends keyof EventMap> = (data: EventMap[K]) => void;

const listeners: { [K in keyof EventMap]: Set<Listener<K>> } = {
  task: new Set(),
  device: new Set(),
  campaign: new Set(),
};
const statusListeners = new Set<(s: LiveStatus) => void>();
let source: EventSource | null = null;
let status: LiveStatus = 'offline';

function setStatus(s: LiveStatus): void {
  status = s;
  for (const l of statusListeners) l(s);
}

export function connectEvents(): void {
  if (source !== null || typeof EventSource === 'undefined') return;
  setStatus('connecting');
  source = new EventSource('/api/v1/events', { withCredentials: true });
  source.onopen = () => setStatus('live');
  source.onerror = () =>
    setStatus(source?.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
  for (const type of Object.keys(listeners) as (keyof EventMap)[]) {
    source.addEventListener(type, (e) => {
      let data: unknown;
      try {
        data = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const l of listeners[type]) (l as (d: unknown) => void)(data);
    });
  }
}

export function disconnectEvents(): void {
  source?.close();
  source = null;
  setStatus('offline');
}

export function onEvent<K extends keyof EventMap>(type: K, listener: Listener<K>): () => void {
  listeners[type].add(listener);
  return () => listeners[type].delete(listener);
}

export function onStatus(listener: (s: LiveStatus) => void): () => void {
  statusListeners.add(listener);
  listener(status);
  return () => statusListeners.delete(listener);
}
