/**
 * Structured logs: one line per event on stdout — JSON (`time`, `level`, `event`, then the event's fields) for
 * machines, or a readable line on a terminal. Components get only the function, so what they log is decided
 * where they are written — and they are never given a secret to log.
 */
export type LogLevel = 'info' | 'warn' | 'error';

/** `level` defaults to info; an event named `WARNING-…` is a warning whatever its caller says. */
export type Logger = (event: string, fields: Record<string, unknown>, level?: LogLevel) => void;

export type LogFormat = 'json' | 'text';

export interface LoggerOptions {
  format: LogFormat;
  write?: (line: string) => void;
  clock?: () => Date;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const clock = options.clock ?? (() => new Date());
  return (event, fields, level) => {
    const time = clock().toISOString();
    const lvl = levelOf(event, level);
    write(
      options.format === 'json'
        ? `${jsonLine(time, lvl, event, fields)}\n`
        : `${textLine(time, lvl, event, fields)}\n`,
    );
  };
}

/** JSON lines with a level: what `corral serve` logged before there was a choice. */
export function jsonLogger(write?: (line: string) => void): Logger {
  return createLogger({ format: 'json', ...(write !== undefined ? { write } : {}) });
}

/** `auto` is text on a terminal (a person reads it) and JSON otherwise (a collector does). */
export function resolveLogFormat(
  setting: 'auto' | LogFormat,
  stdout: { isTTY?: boolean },
): LogFormat {
  if (setting !== 'auto') return setting;
  return stdout.isTTY === true ? 'text' : 'json';
}

export function levelOf(event: string, level: LogLevel | undefined): LogLevel {
  if (level === 'error') return 'error';
  if (event.startsWith('WARNING-')) return 'warn';
  return level ?? 'info';
}

/**
 * `{"time":…,"level":…,"event":…, then the fields}`: the fields' own JSON spliced in, where spreading them into
 * one object took V8's slow path (0.8 % of a periodic session's CPU, two lines a session). A field named like
 * one of the first three replaces it, as in a spread.
 */
function jsonLine(time: string, level: LogLevel, event: string, fields: Record<string, unknown>) {
  if (
    Object.hasOwn(fields, 'time') ||
    Object.hasOwn(fields, 'level') ||
    Object.hasOwn(fields, 'event')
  )
    return JSON.stringify({ time, level, event, ...fields });
  const rest = JSON.stringify(fields);
  const head = `{"time":"${time}","level":"${level}","event":${JSON.stringify(event)}`;
  return rest === '{}' ? `${head}}` : `${head},${rest.slice(1)}`;
}

/** `2026-01-01T00:00:00.000Z WARN  event key=value key="two words"` — one line, whatever the values hold. */
function textLine(
  time: string,
  level: LogLevel,
  event: string,
  fields: Record<string, unknown>,
): string {
  const parts = [time, level.toUpperCase().padEnd(5), event];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${key}=${textValue(value)}`);
  }
  return parts.join(' ');
}

function textValue(value: unknown): string {
  // Numbers, booleans, objects: their JSON, which is one line. Strings bare when they cannot be misread.
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  return /^[^\s"=\\\p{Cc}]+$/u.test(value) ? value : JSON.stringify(value);
}
