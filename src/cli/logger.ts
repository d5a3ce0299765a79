/**
 * Structured logs: one JSON object per line on stdout (`time`, `event`, then the event's fields). Components
 * get only the function, so what they log is decided where they are written — and they are never given a
 * secret to log.
 */
export type Logger = (event: string, fields: Record<string, unknown>) => void;

export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  return (event, fields) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
  };
}
