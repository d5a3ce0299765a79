import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isRole, ROLES, type Role } from '../store/api-keys.ts';
import { isStoreError } from '../store/errors.ts';
import { openStore, parseStoreSpec, SQLITE_FILE } from '../store/open-store.ts';
import { Secret } from '../store/secret.ts';
import type { Store } from '../store/store.ts';
import { parseCommandLine, UsageError } from './args.ts';
import { loadSecretKey } from './secret-key.ts';

export const USER_USAGE = `usage: corral user <list|add|passwd|remove> [NAME] [options]

Manages the console's users in the store, also while \`corral serve\` runs on it.

  list                 the users: name, role, last login
  add NAME             a new user (--role, default operator)
  passwd NAME          a new password for NAME (their browser sessions end)
  remove NAME          removes NAME and ends their sessions (never the last admin)

  --role ROLE          admin, operator or read-only (add)
  --password-stdin     read the password from the first line of standard input; without it a strong
                       password is generated and printed once
  --data-dir DIR       the data directory (default ./data, or CORRAL_DATA_DIR)
  --store SPEC         the database, as corral serve takes it: sqlite:DIR (default: the data directory)
                       or postgres://… (or CORRAL_STORE)
  --secret-key-file F  the master key, as corral serve takes it (or CORRAL_SECRET_KEY, CORRAL_SECRET_KEY_FILE;
                       default DIR/secret.key)
  -h, --help           show this help

Passwords are 12 to 256 characters. Exit status: 0 done, 1 refused (the reason in one line), 2 usage error.
`;

/** `corral user …`: console users, straight in the store. */
export async function userCommand(args: readonly string[]): Promise<number> {
  let action: string | undefined;
  let name: string | undefined;
  let values: Record<string, unknown>;
  try {
    const parsed = parseCommandLine(
      args,
      {
        role: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        'data-dir': { type: 'string' },
        store: { type: 'string' },
        'secret-key-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      { allowPositionals: true },
    );
    values = parsed.values;
    if (values.help === true) {
      process.stdout.write(USER_USAGE);
      return 0;
    }
    [action, name] = parsed.positionals;
    if (action === undefined) throw new UsageError('say what to do: list, add, passwd or remove');
    if (!['list', 'add', 'passwd', 'remove'].includes(action))
      throw new UsageError(`unknown action "${action}"`);
    if (action !== 'list' && name === undefined) throw new UsageError(`${action} needs a NAME`);
    if (parsed.positionals.length > (action === 'list' ? 1 : 2))
      throw new UsageError('too many arguments');
    if (values.role !== undefined && (action !== 'add' || !isRole(values.role)))
      throw new UsageError(
        action === 'add' ? `--role must be one of ${ROLES.join(', ')}` : '--role goes with add',
      );
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`corral user: ${error.message}\n\n${USER_USAGE}`);
    return 2;
  }
  const dataDir = String(values['data-dir'] ?? process.env.CORRAL_DATA_DIR ?? './data');
  const spec = String(values.store ?? process.env.CORRAL_STORE ?? `sqlite:${dataDir}`);
  let store: Store;
  try {
    const parsed = parseStoreSpec(spec);
    if (parsed.engine === 'sqlite' && !existsSync(join(parsed.dir, SQLITE_FILE))) {
      process.stderr.write(
        `corral user: no Corral data in ${parsed.dir} (run corral serve once, or give --data-dir)\n`,
      );
      return 1;
    }
    const file = values['secret-key-file'] ?? process.env.CORRAL_SECRET_KEY_FILE;
    const { key } = loadSecretKey({
      dataDir,
      file: file === undefined ? null : String(file),
      env: process.env,
    });
    store = await openStore(spec, { secretKey: key });
  } catch (error) {
    process.stderr.write(`corral user: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    switch (action) {
      case 'list': {
        const users = await store.users.list();
        for (const u of users) {
          const last = u.lastLoginAt === null ? 'never' : new Date(u.lastLoginAt).toISOString();
          process.stdout.write(`${u.name}\t${u.role}\tlast login ${last}\n`);
        }
        if (users.length === 0) process.stdout.write('no users\n');
        return 0;
      }
      case 'add': {
        const { password, generated } = await passwordFrom(values['password-stdin'] === true);
        const role = (values.role ?? 'operator') as Role;
        await store.users.create({ name: name!, role, password, createdBy: 'cli' });
        process.stdout.write(`added ${name} (${role})\n`);
        if (generated) process.stdout.write(`password (shown once): ${password.reveal()}\n`);
        return 0;
      }
      case 'passwd': {
        const { password, generated } = await passwordFrom(values['password-stdin'] === true);
        await store.users.setPassword(name!, password);
        process.stdout.write(`new password set for ${name}; their sessions have ended\n`);
        if (generated) process.stdout.write(`password (shown once): ${password.reveal()}\n`);
        return 0;
      }
      default: {
        await store.users.remove(name!);
        process.stdout.write(`removed ${name}\n`);
        return 0;
      }
    }
  } catch (error) {
    if (isStoreError(error) || error instanceof UsageError) {
      process.stderr.write(`corral user: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

/** A generated password: 18 random bytes, 24 characters of base64url (144 bits). */
export function generatePassword(): Secret {
  return new Secret(randomBytes(18).toString('base64url'));
}

async function passwordFrom(stdin: boolean): Promise<{ password: Secret; generated: boolean }> {
  if (!stdin) return { password: generatePassword(), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10) || Buffer.concat(chunks).length > 4096) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line === '') throw new UsageError('standard input gave no password');
  return { password: new Secret(line), generated: false };
}
