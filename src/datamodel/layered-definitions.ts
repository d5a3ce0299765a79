/**
 * Definitions in layers: files the user loaded (a vendor's model in the BBF format, a newer TR-181) first, the
 * standard ones Corral ships under them. A vendor file usually defines only its `X_…` objects, or restates the
 * standard in part: whatever it does not define, the layer below answers.
 */
import type { DeviceDefinitions } from './device-definitions.ts';
import type { ModelProfile } from './model-profile.ts';
import type { ResolvedPath } from './resolve.ts';

export class LayeredDefinitions implements DeviceDefinitions {
  readonly #layers: readonly DeviceDefinitions[];

  /** The first layer that answers wins. */
  constructor(layers: readonly DeviceDefinitions[]) {
    this.#layers = layers;
  }

  #first<T>(ask: (layer: DeviceDefinitions) => T | undefined): T | undefined {
    for (const layer of this.#layers) {
      const answer = ask(layer);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  resolve(path: string): ResolvedPath | undefined {
    return this.#first((l) => l.resolve(path));
  }

  modelName(root: string): string | undefined {
    return this.#first((l) => l.modelName(root));
  }

  profile(root: string, name: string): ModelProfile | undefined {
    return this.#first((l) => l.profile?.(root, name));
  }

  /** Every layer's, each name once. */
  profileNames(root: string): string[] {
    return [...new Set(this.#layers.flatMap((l) => l.profileNames?.(root) ?? []))];
  }

  versionOf(schemaPath: string): string | undefined {
    return this.#first((l) => l.versionOf?.(schemaPath));
  }

  describe(schemaPath: string): string | undefined {
    return this.#first((l) => l.describe?.(schemaPath));
  }
}
