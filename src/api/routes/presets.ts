import { Type } from 'typebox';
import {
  type PresetResult,
  presetFromRecord,
  sealPresetSecrets,
} from '../../acs/provisioning/presets/index.ts';
import { scriptSyntaxError } from '../../acs/provisioning/script/index.ts';
import { FIRMWARE_FILE_TYPE } from '../../cwmp/index.ts';
import { roleAtLeast } from '../../store/api-keys.ts';
import type { JsonValue } from '../../store/json.ts';
import type { PresetRecord } from '../../store/presets.ts';
import { type App, principalOf, type RouteDeps } from '../app.ts';
import { actorOf } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { presetModelProblems } from '../preset-model-check.ts';
import { bodyErrors, errors, NoContent } from '../schemas/common.ts';
import { modelVerdict } from '../task-model-check.ts';

const TAGS = ['presets'];

/** A preset's name as `validatePreset` accepts it; the path is where a preset's name lives. */
export const PresetNameParam = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9_.-]+$',
  description: 'Preset name: 1-128 letters, digits, `_`, `-` or `.`',
});

const PresetParams = Type.Object({ name: PresetNameParam }, { additionalProperties: false });

export const PresetView = Type.Object({
  name: Type.String(),
  definition: Type.Unknown({
    description:
      'The preset as stored, without its name: weight, channel, precondition, declarations. Secret values (secret-named parameters, or `secret: true`) read as "[redacted]": they are write-only',
  }),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  updatedBy: Type.Union([Type.String(), Type.Null()], {
    description: 'The API key that wrote it last',
  }),
});

const PresetBody = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'The preset without its name (the name is in the path): weight, channel?, precondition?, declarations?, script?. A value whose parameter name says secret (Password, Passphrase, PSK, PreSharedKey, …Key) is a secret, as is one declared `{"path", "value", "secret": true}` or, among an instance\'s values, `{"value", "secret": true}`: encrypted at rest, never shown again',
  },
);

/**
 * A stored definition checked as a preset named `name`: its PUT body, or a row written by an older Corral
 * (the store keeps definitions opaque, so a row is untrusted input to the validator, like a body).
 */
export function checkPresetDefinition(name: string, definition: unknown): PresetResult {
  return presetFromRecord(name, definition);
}

/** Presets (desired states): list, read, create or replace, delete. */
export function presetRoutes(app: App, { store, log, definitions }: RouteDeps): void {
  app.get(
    '/api/v1/presets',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'Every preset, by name',
        response: { 200: Type.Object({ presets: Type.Array(PresetView) }), ...errors() },
      },
    },
    async () => ({ presets: await store.presets.list() }),
  );

  app.get(
    '/api/v1/presets/:name',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'One preset',
        params: PresetParams,
        response: { 200: Type.Object({ preset: PresetView }), ...errors(404) },
      },
    },
    async (request) => ({ preset: await required(request.params.name) }),
  );

  app.put(
    '/api/v1/presets/:name',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary:
          'Create or replace a preset (validated, its script compiled: a 400 names the offending field); 201 when created',
        params: PresetParams,
        querystring: Type.Object(
          {
            force: Type.Optional(
              Type.Boolean({
                description:
                  'Save declarations the data model refuses (admin only): real devices sometimes deviate from the standard',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        body: PresetBody,
        response: {
          200: Type.Object({ preset: PresetView }),
          201: Type.Object({ preset: PresetView }),
          ...bodyErrors(),
        },
      },
    },
    async (request, reply) => {
      const name = request.params.name;
      const checked = checkPresetDefinition(name, request.body);
      if (!checked.ok) {
        const { field, reason } = checked.error;
        throw new ApiError('invalid', `${field} ${reason}`, field);
      }
      // A script that does not parse would only fault its channel on every device: refuse it now.
      const script = checked.value.script;
      const syntax = script === undefined ? null : await scriptSyntaxError(script);
      if (syntax !== null)
        throw new ApiError('invalid', `script does not parse: ${syntax}`, 'script');
      // Likewise a firmware that is not there, or is no firmware. A preset that installs firmware reaches every
      // device it matches at once, with no canary or stop rule: it takes an admin (fleet-wide roll-outs go
      // through campaigns, which take a second approver — security.md item 12).
      const software = checked.value.software;
      if (software !== undefined && !roleAtLeast(principalOf(request).role, 'admin')) {
        throw new ApiError('forbidden', 'a preset that installs firmware needs the admin role');
      }
      if (software !== undefined) {
        const file = await store.files.get(software.fileId);
        if (file?.fileType !== FIRMWARE_FILE_TYPE)
          throw new ApiError(
            'invalid',
            `software.fileId names no stored ${FIRMWARE_FILE_TYPE}`,
            'software.fileId',
          );
      }
      // Declarations the data model refuses would fault on every device the preset reaches: a 422 now.
      const { problems, warnings } = await presetModelProblems(checked.value, await definitions());
      const modelWarnings = modelVerdict(
        problems,
        warnings,
        request.query.force === true,
        principalOf(request),
      );
      const by = actorOf(principalOf(request));
      const existed = (await store.presets.get(name)) !== null;
      // Secrets (secret-named or `secret: true` values) go to the store as Secrets: encrypted at rest, and
      // "[redacted]" in every read — write-only, like every other secret.
      const preset = await store.presets.put(
        name,
        sealPresetSecrets(request.body) as JsonValue,
        by,
      );
      log('preset-written', {
        name,
        by,
        created: !existed,
        ...(modelWarnings.length > 0 ? { modelWarnings } : {}),
      });
      return reply.code(existed ? 200 : 201).send({ preset });
    },
  );

  app.delete(
    '/api/v1/presets/:name',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Delete a preset',
        params: PresetParams,
        response: { 204: NoContent, ...errors(404) },
      },
    },
    async (request, reply) => {
      const name = request.params.name;
      if (!(await store.presets.delete(name))) {
        throw new ApiError('not-found', 'no such preset', 'name');
      }
      log('preset-deleted', { name, by: actorOf(principalOf(request)) });
      return reply.code(204).send(null);
    },
  );

  async function required(name: string): Promise<PresetRecord> {
    const preset = await store.presets.get(name);
    if (preset === null) throw new ApiError('not-found', 'no such preset', 'name');
    return preset;
  }
}
