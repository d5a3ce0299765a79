/** How the ACS's parts report what they did: an event name, its fields (never a secret), and how much it matters. */
export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (event: string, fields: Record<string, unknown>, level?: LogLevel) => void;
