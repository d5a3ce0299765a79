import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { message } from './api.ts';
import { type CampaignEvent, type DeviceEvent, onEvent, type TaskEvent } from './events.ts';

export interface Async<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Loads `fn()` when `deps` change; `reload()` loads again, keeping the old data on screen meanwhile. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    fn().then(
      (d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(message(e));
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

type Events = { task: TaskEvent; device: DeviceEvent; campaign: CampaignEvent };

/** Listens to one kind of live event while the component is mounted. */
export function useLive<K extends keyof Events>(type: K, listener: (e: Events[K]) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => onEvent(type, (e) => ref.current(e)), [type]);
}

/** Calls `fn` at most once per `ms` however often it is asked (bursts of live events → one reload). */
export function useThrottled(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current !== null) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      ref.current();
    }, ms);
  }, [ms]);
}
