import { useEffect, useState } from 'preact/hooks';
import type { User } from './api.ts';

/** Who is logged in, for every component: set by the app on login and on `GET /session`. */
let current: User | null = null;
const subs = new Set<() => void>();

export function setUser(user: User | null): void {
  current = user;
  for (const s of subs) s();
}

export function useUser(): User | null {
  const [, set] = useState(0);
  useEffect(() => {
    const s = () => set((t) => t + 1);
    subs.add(s);
    return () => subs.delete(s);
  }, []);
  return current;
}

const RANK = { 'read-only': 0, operator: 1, admin: 2 } as const;

export function can(user: User | null, role: User['role']): boolean {
  return user !== null && RANK[user.role] >= RANK[role];
}
