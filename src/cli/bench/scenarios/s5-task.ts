/**
 * S5 task round trip: a task queued through the REST API with an HTTP connection request and a wait; the load's
 * listener answers the request and the device calls in (6 CONNECTION REQUEST), answers the RPC, and the API
 * answers with the task's result. One after another, a different device each time (a device's connection
 * requests are throttled): p50 and p99 of the API call.
 */
import { deviceId, taskRoundTrip } from '../api-client.ts';
import type { BenchContext } from '../context.ts';
import type { ConnectionRequestStats } from '../loader.ts';
import { spread } from '../storm-client.ts';
import { S1, s1Devices } from './s1-periodic.ts';

export const S5 = {
  task: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
  waitSeconds: 30,
} as const;

export interface S5Result {
  tasks: number;
  done: number;
  /** Tasks that did not end done, by the API's status and the task's state. */
  notDone: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The devices' session attempts that failed (then retried), by kind. */
  sessionFailures: Record<string, number>;
}

export async function runS5(ctx: BenchContext): Promise<S5Result> {
  const { options, acs, api, load } = ctx;
  const fleet = s1Devices(options.roundTrips);
  // The devices must be known and have reported the load's listener as their ConnectionRequestURL: S1's are,
  // when S1 ran; otherwise they are made known here.
  if (ctx.results.S1 === undefined) {
    ctx.progress.phase(`S5: making ${fleet.length} devices known (not measured)`, fleet.length);
    await load.run({
      kind: 'sessions',
      url: acs.cwmpUrl,
      oui: '00D09E',
      devices: fleet,
      events: S1.bootstrapEvents,
      concurrency: options.concurrency,
    });
    ctx.progress.end('done');
  }
  await load.run({
    kind: 'cr-target',
    url: acs.cwmpUrl,
    oui: '00D09E',
    productClass: S1.productClass,
  });
  ctx.progress.phase(`S5: ${fleet.length} tasks with a connection request`, fleet.length);
  const times: number[] = [];
  const notDone: Record<string, number> = {};
  for (const [productClass, serial] of fleet) {
    const began = performance.now();
    const answer = await taskRoundTrip(
      api,
      deviceId(productClass, serial),
      S5.task,
      S5.waitSeconds,
    );
    times.push(performance.now() - began);
    if (answer.status !== 200 || answer.state !== 'done') {
      const key = `${answer.status} ${answer.state} ${answer.connectionRequest}`.slice(0, 200);
      notDone[key] = (notDone[key] ?? 0) + 1;
    }
    ctx.progress.update(times.length);
  }
  const stats = await load.run<ConnectionRequestStats>({ kind: 'cr-stats' });
  const figures = spread(times);
  const done = fleet.length - Object.values(notDone).reduce((a, b) => a + b, 0);
  ctx.progress.end(
    `${done}/${fleet.length} done, p50 ${figures.p50} ms, p99 ${figures.p99} ms ` +
      `(${stats.requests} connection requests, ${stats.sessionsCompleted} sessions` +
      `${Object.keys(stats.failures).length > 0 ? `; failed attempts ${JSON.stringify(stats.failures)}` : ''})` +
      (done < fleet.length ? ` ${JSON.stringify(notDone)}` : ''),
  );
  return {
    tasks: fleet.length,
    done,
    notDone,
    p50Ms: figures.p50,
    p99Ms: figures.p99,
    maxMs: figures.max,
    sessionFailures: stats.failures,
  };
}
