/** A scenario as a case of the lab: run, filtered and reported like the built-in ones. */
import type { ConformanceCase } from '../case.ts';
import { runScenario } from './run.ts';
import {
  SCENARIO_AREA,
  type Scenario,
  type ScenarioStep,
  type ValueExpectation,
} from './scenario.ts';

function short(v: unknown): string {
  const text = JSON.stringify(v) ?? '';
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

function expected(values: Record<string, ValueExpectation>): string {
  return Object.entries(values)
    .map(([k, v]) => ('equals' in v ? `${k} = ${JSON.stringify(v.equals)}` : `${k} ~ /${v.match}/`))
    .join(', ');
}

/** The step as the catalogue and the reports say it. */
export function describeStep(s: ScenarioStep): string {
  switch (s.kind) {
    case 'send': {
      const then =
        s.expect.fault !== undefined
          ? `expect fault ${s.expect.fault}`
          : [
              'expect a response',
              ...(s.expect.values === undefined ? [] : [expected(s.expect.values)]),
              ...(s.expect.fields === undefined ? [] : [expected(s.expect.fields)]),
            ].join(': ');
      return `Send ${s.method}(${short(s.args)}); ${then}`;
    }
    case 'set':
      return `Set ${Object.entries(s.values)
        .map(([k, v]) => `${k} = ${JSON.stringify(v.value)}`)
        .join(', ')}${s.restore ? ' (restored at the end)' : ''}`;
    case 'get':
      return `Get and expect ${expected(s.values)}`;
    case 'wait-event':
      return `Wait up to ${s.timeoutSeconds} s for a session the DUT opens with ${s.event}`;
    case 'connection-request':
      return 'Send a connection request; expect a session with 6 CONNECTION REQUEST';
    case 'pause':
      return `Pause ${s.seconds} s (no session open)`;
  }
}

export function scenarioCase(scenario: Scenario): ConformanceCase {
  return {
    id: scenario.id,
    area: SCENARIO_AREA,
    title: scenario.title,
    clause: scenario.clause,
    requires: scenario.requires,
    steps: scenario.steps.map(describeStep),
    run: (ctx) => runScenario(ctx, scenario),
  };
}
