/** What the lab saw and said: every HTTP message of the run, both ways, in order (the evidence of a verdict). */
export interface EvidenceEntry {
  /** Position in the run, from 0: a case's evidence is a slice of the run's. */
  seq: number;
  direction: 'dut-to-lab' | 'lab-to-dut';
  /** ISO 8601, milliseconds. */
  at: string;
  /** What travelled: a CWMP POST and its answer, a connection request (the lab as client), a file transfer. */
  kind: 'cwmp' | 'connection-request' | 'file';
  /** The HTTP status of an answer; undefined on requests. */
  status?: number;
  /** The method (POST/GET) on requests. */
  method?: string;
  /** The headers that matter to CWMP checks (content-type, soapaction, cookie, set-cookie, authorization scheme). */
  headers: Record<string, string>;
  /** The raw body, as text (UTF-8). */
  body: string;
  /** Why a request was not whole: the connection dropped, the body was refused. */
  note?: string;
}

export class EvidenceLog {
  readonly entries: EvidenceEntry[] = [];

  record(entry: Omit<EvidenceEntry, 'seq' | 'at'>): EvidenceEntry {
    const full = { seq: this.entries.length, at: new Date().toISOString(), ...entry };
    this.entries.push(full);
    return full;
  }

  /** The entries from `seq` on. */
  since(seq: number): EvidenceEntry[] {
    return this.entries.slice(seq);
  }

  get next(): number {
    return this.entries.length;
  }
}

const KEPT_HEADERS = [
  'content-type',
  'soapaction',
  'cookie',
  'set-cookie',
  'content-length',
  'transfer-encoding',
  'location',
];

/** The headers kept as evidence: CWMP's own; an Authorization only by its scheme (never a credential). */
export function evidenceHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    if (KEPT_HEADERS.includes(key)) out[key] = text;
    else if (key === 'authorization' || key === 'www-authenticate')
      out[key] = `${text.split(' ')[0]} …`;
  }
  return out;
}
