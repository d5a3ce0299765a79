import type { IncomingMessage } from 'node:http';
import type { CwmpEnvelope } from '../../cwmp/index.ts';
import type { MessageContext } from '../session/engine.ts';

/** One CWMP request, its body read and decoded. */
export interface CwmpRequest {
  req: IncomingMessage;
  isTls: boolean;
  address: string | null;
  /** null: an empty POST. */
  envelope: CwmpEnvelope | null;
  context: MessageContext;
}
