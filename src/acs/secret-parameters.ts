import type { ParameterUpdate } from '../store/parameters.ts';
import { Secret } from '../store/secret.ts';

/**
 * Parameter names whose values are secrets wherever they travel or rest (security.md items 13, 14, 17): the one
 * rule, for tasks, traces, the API, presets and scripts. A name ending in a bare `Key` segment (`….Key`,
 * `X_VENDOR_Key`, `PrivateKey`) is one too; `ParameterKey`, `CommandKey` and the like are identifiers, not keys.
 */
const SECRET_NAME =
  /(?:Password|Passphrase|PreSharedKey|KeyPassphrase|WEPKey|SecretKey|PrivateKey|Secret|PSK|(?:^|[._])Key)$/i;

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
