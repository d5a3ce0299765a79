/**
 * An operator's own acceptance test, as a small declarative file (JSON): what it is called, what it needs of the
 * DUT, and its steps — an RPC and what its answer must be, values set or read, a wait for an event in a session
 * the DUT opens, a connection request, a pause. `{root}` in any string stands for the DUT's root object.
 */

/** A value an answer must have: exactly this text, or text matching a regular expression. */
export type ValueExpectation = { equals: string } | { match: string };

export interface ResponseExpectation {
  /** The RPC must fail with this fault code (default: it must succeed). */
  fault?: number;
  /** GetParameterValues: values by parameter name. */
  values?: Record<string, ValueExpectation>;
  /** Top-level fields of the response (`Status`, `InstanceNumber`), compared as text. */
  fields?: Record<string, ValueExpectation>;
}

export type ScenarioStep =
  | { kind: 'send'; method: string; args: Record<string, unknown>; expect: ResponseExpectation }
  /** SetParameterValues of these values (xsi:type as the DUT reports each, unless given); restored at the end. */
  | { kind: 'set'; values: Record<string, { value: string; type?: string }>; restore: boolean }
  | { kind: 'get'; values: Record<string, ValueExpectation> }
  /** Ends the session, waits for the DUT to open one by itself with this event code in its Inform. */
  | { kind: 'wait-event'; event: string; timeoutSeconds: number }
  /** Ends the session, sends a connection request, expects a session with 6 CONNECTION REQUEST. */
  | { kind: 'connection-request' }
  | { kind: 'pause'; seconds: number };

export interface Scenario {
  /** Where it was read from, for messages. */
  file: string;
  id: string;
  title: string;
  clause: string;
  notes: string | undefined;
  requires: { rpcs?: string[]; objects?: string[]; destructive?: boolean };
  steps: ScenarioStep[];
}

/** The area scenarios are reported under. */
export const SCENARIO_AREA = 'Scenarios';
