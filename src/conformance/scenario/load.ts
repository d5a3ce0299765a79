/** `corral check --scenario FILE…`: the files read and checked whole before the run; every problem one line. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ConformanceCase } from '../case.ts';
import { parseScenarios } from './parse.ts';
import { scenarioCase } from './scenario-case.ts';

export class ScenarioFileError extends Error {
  override readonly name = 'ScenarioFileError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** The scenarios of `files` as cases; `taken`: ids already in use (the built-in cases'). */
export async function loadScenarioCases(
  files: readonly string[],
  taken: ReadonlySet<string>,
): Promise<ConformanceCase[]> {
  const problems: string[] = [];
  const cases: ConformanceCase[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    const name = basename(file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      problems.push(`${name}: cannot read it (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const { scenarios, errors } = parseScenarios(name, text);
    problems.push(...errors);
    for (const s of scenarios) {
      const clash = taken.has(s.id) ? 'a built-in case' : ids.get(s.id);
      if (clash !== undefined)
        problems.push(
          `${name}: the id ${s.id} is already ${taken.has(s.id) ? clash : `used in ${clash}`}`,
        );
      ids.set(s.id, name);
      cases.push(scenarioCase(s));
    }
  }
  if (problems.length > 0) throw new ScenarioFileError(problems);
  return cases;
}
