export {
  RealScheduler,
  type RealSchedulerOptions,
  type Scheduler,
  type Timer,
} from './scheduler.ts';
export { SimulatedClock } from './simulated-clock.ts';
export { TimerQueue } from './timer-queue.ts';
