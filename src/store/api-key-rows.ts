/** The api_keys table's row and its mapping to an ApiKeyRecord. */
import type { ApiKeyRecord, Role } from './api-keys.ts';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  secret_hash: Uint8Array;
  created_at: number;
  created_by: string | null;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** `last_used_at` is written at most this often per key, so verification is not a write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function apiKeyRecordOf(r: ApiKeyRow): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}
