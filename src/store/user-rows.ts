/** The users table's row, its mapping to a UserRecord, and the checks on a name and a password. */
import type { Role } from './api-keys.ts';
import { StoreError } from './errors.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-hash.ts';
import type { Secret } from './secret.ts';
import { USER_NAME, type UserRecord } from './users.ts';

export interface UserRow {
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  created_by: string | null;
  password_changed_at: number;
  last_login_at: number | null;
}

export function userRecordOf(r: UserRow): UserRecord {
  return {
    name: r.name,
    role: r.role,
    createdAt: r.created_at,
    createdBy: r.created_by,
    passwordChangedAt: r.password_changed_at,
    lastLoginAt: r.last_login_at,
  };
}

export function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !USER_NAME.test(name)) {
    throw new StoreError(
      'invalid',
      'user',
      'a user name is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
    );
  }
}

export function checkPassword(password: Secret): Secret {
  const length = [...password.reveal()].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw new StoreError(
      'invalid',
      'user',
      `a password is ${PASSWORD_MIN_LENGTH}-${PASSWORD_MAX_LENGTH} characters`,
    );
  }
  return password;
}
