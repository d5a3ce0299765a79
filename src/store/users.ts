import type { Role } from './api-keys.ts';
import type { Secret } from './secret.ts';

/**
 * The people who log in to the console. A user has a name, a role (the API keys' roles) and a password kept
 * only as a scrypt hash (password-hash.ts). Machines keep using API keys.
 *
 * The store refuses to leave the installation without an admin: removing or demoting the last one is a
 * 'conflict'. Changing a password or removing a user ends that user's browser sessions.
 */
export interface UserRecord {
  name: string;
  role: Role;
  createdAt: number;
  /** Who created it (`user:<name>`, `api-key:<id>`, `cli`, `first-run`). */
  createdBy: string | null;
  passwordChangedAt: number;
  lastLoginAt: number | null;
}

export interface UserStore {
  /** A new user; 'conflict' when the name is taken; 'invalid' for a bad name or a password too short. */
  create(input: {
    name: string;
    role: Role;
    password: Secret;
    createdBy?: string | null;
  }): Promise<UserRecord>;
  /**
   * The user if the password is theirs, else null. An unknown name costs the same time as a wrong password.
   * A correct check records the login time.
   */
  verifyPassword(name: string, password: Secret): Promise<UserRecord | null>;
  get(name: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  /** Ends the user's browser sessions. */
  setPassword(name: string, password: Secret): Promise<UserRecord>;
  setRole(name: string, role: Role): Promise<UserRecord>;
  /** Removes the user with their browser sessions; returns the record removed. */
  remove(name: string): Promise<UserRecord>;
}

/** 1–64 characters: letters, digits, and `.`, `_`, `@`, `-` (a name shows in logs and audit entries as is). */
export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
