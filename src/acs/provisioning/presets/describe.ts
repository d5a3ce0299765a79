import type { DiffEntry, ProvisioningPlan } from './plan.ts';
import type { ScriptReport } from './scripts.ts';

function line(d: DiffEntry): string {
  const by = `[${d.preset}${d.channel === '' ? '' : ` @${d.channel}`}]`;
  switch (d.kind) {
    case 'read':
      return `read     ${d.path} (${d.reason}) ${by}`;
    case 'value':
      return `set      ${d.path}: ${d.current === null ? '(unknown)' : JSON.stringify(d.current)} → ${d.secret ? '(secret)' : JSON.stringify(d.desired)} (${d.type}) ${by}`;
    case 'not-writable':
      return `blocked  ${d.path} is not writable: ${JSON.stringify(d.current)} ≠ ${JSON.stringify(d.desired)} ${by}`;
    case 'unsupported':
      return `missing  ${d.path} does not exist on the device ${by}`;
    case 'attributes':
      return `attrs    ${d.path}: ${JSON.stringify(d.current)} → ${JSON.stringify(d.desired)} ${by}`;
    case 'add-instance':
      return `add      ${d.object} ${JSON.stringify(d.keys)} ${by}`;
    case 'delete-instance':
      return `delete   ${d.path} ${JSON.stringify(d.keys)} ${by}`;
    case 'add-tag':
      return `tag      +${d.tag} ${by}`;
    case 'remove-tag':
      return `tag      -${d.tag} ${by}`;
    case 'software': {
      const what = `${d.current ?? '(unknown)'} → ${d.desired} (file ${d.fileId})`;
      if (d.status === 'download') return `firmware ${what} ${by}`;
      if (d.status === 'under-way') return `firmware ${what}: a download is under way ${by}`;
      return `firmware ${what}: tried, again after ${new Date(d.retryAt ?? 0).toISOString()} ${by}`;
    }
  }
}

function scriptLine(s: ScriptReport): string {
  const by = `${s.preset}${s.channel === '' ? '' : ` @${s.channel}`}`;
  if (!s.ok) return `failed   ${by}: ${s.reason}: ${s.message} (channel blocked)`;
  const d = s.declarations;
  const counts = [
    [d.values.length, 'value'],
    [d.attributes.length, 'attribute'],
    [d.instances.length + d.absentInstances.length, 'instance'],
    [d.fresh.length, 'read'],
    [d.addTags.length + d.removeTags.length, 'tag'],
  ] as const;
  const declared = counts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`);
  return `ran      ${by}: ${declared.length === 0 ? 'declared nothing' : declared.join(', ')}`;
}

/**
 * The dry run for humans: matched presets, what their scripts did, the diff, then the RPCs in order. Secrets
 * are never shown.
 */
export function describePlan(
  plan: ProvisioningPlan,
  scripts: readonly ScriptReport[] = [],
): string {
  const out = [`presets: ${plan.matched.length === 0 ? '(none match)' : plan.matched.join(', ')}`];
  if (scripts.length > 0) out.push('scripts:', ...scripts.map((s) => `  ${scriptLine(s)}`));
  if (plan.blockedChannels.length > 0)
    out.push(`blocked channels: ${plan.blockedChannels.join(', ')}`);
  out.push(plan.diff.length === 0 ? 'diff: (in sync)' : 'diff:');
  for (const d of plan.diff) out.push(`  ${line(d)}`);
  out.push(plan.tasks.length === 0 ? 'rpcs: (none)' : 'rpcs:');
  for (const t of plan.tasks) {
    const a = t.args;
    const detail =
      a.type === 'setParameterValues'
        ? `${a.parameters.map((p) => p.name).join(', ')} key=${a.parameterKey}`
        : a.type === 'getParameterValues'
          ? a.parameterNames.join(', ')
          : a.type === 'setParameterAttributes'
            ? a.parameters.map((p) => p.name).join(', ')
            : a.type === 'refresh'
              ? a.path
              : a.type === 'addObject' || a.type === 'deleteObject'
                ? a.objectName
                : '';
    out.push(`  ${t.channel === '' ? '' : `@${t.channel} `}${a.type} ${detail}`);
  }
  return out.join('\n');
}

/** The dry run as JSON-safe data. Secret values serialise as redacted (`Secret.toJSON`), never in clear. */
export function planToJson(plan: ProvisioningPlan): unknown {
  return JSON.parse(JSON.stringify(plan));
}
