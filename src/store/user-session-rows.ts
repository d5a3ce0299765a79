/** The user_sessions table's row and its mapping to a UserSessionRecord. */
import { sessionIdOf, type UserSessionRecord } from './user-sessions.ts';

export interface UserSessionRow {
  token_hash: Uint8Array;
  user_name: string;
  created_at: number;
  last_seen_at: number;
  idle_ms: number;
  expires_at: number;
}

export function userSessionRecordOf(r: UserSessionRow): UserSessionRecord {
  return {
    id: sessionIdOf(r.token_hash),
    userName: r.user_name,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    idleMs: r.idle_ms,
    expiresAt: r.expires_at,
  };
}
