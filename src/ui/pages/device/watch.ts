import { useRef } from 'preact/hooks';
import { api } from '../../api.ts';
import { useLive } from '../../hooks.ts';
import { FINISHED, type TaskView } from '../../tasks.ts';

/**
 * Waits for a task's result: the live `task` event, then the task itself. `onUpdate` hears of a transfer the device
 * is still doing (awaiting) and of the end (done, failed, cancelled).
 */
export function useTaskWatch(onUpdate: (t: TaskView) => void) {
  const watched = useRef(new Set<number>());
  const cb = useRef(onUpdate);
  cb.current = onUpdate;
  const fetchTask = async (id: number) => {
    try {
      const t = await api.get<TaskView>(`/api/v1/tasks/${id}`);
      if (FINISHED.has(t.state)) watched.current.delete(id);
      if (FINISHED.has(t.state) || t.state === 'awaiting') cb.current(t);
    } catch {
      // the next event tries again
    }
  };
  useLive('task', (e) => {
    if (watched.current.has(Number(e.taskId))) void fetchTask(Number(e.taskId));
  });
  return (id: number) => {
    watched.current.add(id);
    // In case the task finished before the event stream could tell (or the stream is down): one look later.
    setTimeout(() => {
      if (watched.current.has(id)) void fetchTask(id);
    }, 20_000);
  };
}
