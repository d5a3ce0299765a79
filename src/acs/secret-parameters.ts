import type { ParameterUpdate } from '../store/parameters.ts';
import { Secret } from '../store/secret.ts';

/** Parameter names whose values are secrets wherever they travel or rest (security.md items 13, 14). */
const SECRET_NAME =
  /(?:Password|Passphrase|PreSharedKey|KeyPassphrase|WEPKey|SecretKey|Secret|PSK)$/i;

export function isSecretParameter(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A value a device reported, as the store should keep it: a secret-named parameter's value becomes a `Secret`
 * (encrypted at rest, redacted when printed) — devices do report passwords, though TR-069 says they should not.
 */
export function reportedValue(path: string, value: string, type: string): ParameterUpdate {
  return { path, value: isSecretParameter(path) ? new Secret(value) : value, type };
}
