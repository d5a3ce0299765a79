import { isStoreError } from '../store/errors.ts';
import { Secret } from '../store/secret.ts';
import type { Store } from '../store/store.ts';
import type { Logger } from './logger.ts';
import { generatePassword } from './user-command.ts';

/**
 * A first run's credentials: an admin API key (unless CORRAL_API_KEY gives one) and the console's first user,
 * `admin`, with CORRAL_ADMIN_PASSWORD or a generated password. Each is shown once, on stderr, apart from the log
 * stream (which may be collected and kept). A store that has some already gets none.
 */
export async function firstRunCredentials(
  store: Store,
  env: NodeJS.ProcessEnv,
  apiUrl: string,
  log: Logger,
): Promise<void> {
  if (env.CORRAL_API_KEY === undefined && (await store.apiKeys.list()).length === 0) {
    const { token } = await store.apiKeys.create({ name: 'admin (first run)', role: 'admin' });
    process.stderr.write(`\nAdmin API key (shown once; keep it safe):\n  ${token.reveal()}\n\n`);
  }
  // The console's first user, likewise: `admin` with CORRAL_ADMIN_PASSWORD, or a generated password shown once.
  if ((await store.users.list()).length === 0) {
    const given = env.CORRAL_ADMIN_PASSWORD;
    const password = given ? new Secret(given) : generatePassword();
    try {
      await store.users.create({ name: 'admin', role: 'admin', password, createdBy: 'first-run' });
      process.stderr.write(
        given
          ? `\nConsole user admin created with the password in CORRAL_ADMIN_PASSWORD.\n`
          : `\nConsole: log in at ${apiUrl}/ as admin with this password (shown once; change it):\n  ${password.reveal()}\n\n`,
      );
    } catch (error) {
      // Another node on the same database made it a moment ago: it showed the password, not this one.
      if (isStoreError(error, 'conflict')) return;
      if (!isStoreError(error, 'invalid')) throw error;
      log('console-admin-not-created', { reason: error.message }, 'warn');
      process.stderr.write(
        `CORRAL_ADMIN_PASSWORD refused: ${error.message}; no console user made\n`,
      );
    }
  }
}
