import { type Static, type TObject, type TSchema, Type } from 'typebox';

/**
 * The body of "create a task": the store's task arguments (task-args.ts) as JSON, with passwords as plain
 * strings (they become `Secret`s at once and are never returned) and the TR-069 defaults filled in by
 * task-input.ts: empty ParameterKey, a generated CommandKey, a SetParameterValues type taken from the
 * device's cached model (else `string`), empty transfer credentials and URLs, zero delays and sizes.
 * Lengths follow TR-069's string(N) limits.
 */
const CommandKey = Type.String({
  maxLength: 32,
  description: 'TR-069 CommandKey (string(32)); generated when absent',
});
const ParameterKey = Type.String({ maxLength: 32, description: 'TR-069 ParameterKey; default ""' });
const Name = Type.String({ minLength: 1, maxLength: 256, description: 'A parameter name' });
const Path = Type.String({
  maxLength: 256,
  description: 'A parameter or partial path ("" = root)',
});
const ObjectPath = Type.String({ minLength: 1, maxLength: 256, pattern: '\\.$' });
const Url = Type.String({ minLength: 1, maxLength: 256 });
const OptionalUrl = Type.String({ maxLength: 256 });
const Username = Type.String({ maxLength: 256 });
const Password = Type.String({ maxLength: 256, description: 'Write-only: never returned' });
const UInt = Type.Integer({ minimum: 0, maximum: 4_294_967_295 });
const FileType = Type.String({ minLength: 1, maxLength: 64 });
const Value = Type.String({ maxLength: 65_535 });
const XsdType = Type.String({
  pattern: '^(xsd:)?[A-Za-z][A-Za-z0-9]{0,31}$',
  description:
    'xsi:type (string, int, unsignedInt, boolean, dateTime, base64, …); default: the type the device last reported, else string',
});

/** Writes are checked against the device's model first (422 naming the parameter and the rule). */
const forceModel = {
  force: Type.Optional(
    Type.Boolean({
      description:
        'Send it even though the data model says it is wrong (422 otherwise): real devices deviate from the standard; admin only, audited',
    }),
  ),
};

function variant<P extends Record<string, TSchema>, K extends string>(
  type: K,
  properties: P,
  description: string,
) {
  return Type.Object(
    { type: Type.Literal(type), ...properties },
    { additionalProperties: false, description, title: type },
  );
}

const transfer = {
  commandKey: Type.Optional(CommandKey),
  fileType: Type.Optional(FileType),
  url: Type.Optional(Url),
  username: Type.Optional(Username),
  password: Type.Optional(Password),
};
/** A file the ACS serves (POST /files): the URL is signed for the device when the RPC is sent. */
const servedFile = {
  fileId: Type.Optional(
    Type.String({
      pattern: '^[0-9a-f]{32}$',
      description:
        'A stored file to send instead of a url: the ACS signs a URL for this device when it sends the RPC and fills in FileSize and (if not given) FileType',
    }),
  ),
  force: Type.Optional(
    Type.Boolean({
      description:
        'Send the file even though its target (OUI, ProductClass, from-version) does not match the device (409 otherwise); admin only, audited',
    }),
  ),
};

const DuOperation = oneOf('operation', [
  Type.Object(
    {
      operation: Type.Literal('install'),
      url: Url,
      uuid: Type.Optional(Type.String({ maxLength: 36 })),
      username: Type.Optional(Username),
      password: Type.Optional(Password),
      executionEnvRef: Type.Optional(Type.String({ maxLength: 256 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      operation: Type.Literal('update'),
      uuid: Type.Optional(Type.String({ maxLength: 36 })),
      version: Type.Optional(Type.String({ maxLength: 32 })),
      url: Type.Optional(OptionalUrl),
      username: Type.Optional(Username),
      password: Type.Optional(Password),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      operation: Type.Literal('uninstall'),
      uuid: Type.String({ maxLength: 36 }),
      version: Type.Optional(Type.String({ maxLength: 32 })),
      executionEnvRef: Type.Optional(Type.String({ maxLength: 256 })),
    },
    { additionalProperties: false },
  ),
]);

const VARIANTS = [
  variant(
    'getParameterValues',
    { parameterNames: Type.Array(Path, { maxItems: 4096 }) },
    'GetParameterValues',
  ),
  variant(
    'setParameterValues',
    {
      parameters: Type.Array(
        Type.Object(
          {
            name: Name,
            value: Value,
            type: Type.Optional(XsdType),
            secret: Type.Optional(
              Type.Boolean({
                description:
                  'Write-only value (a password); implied for names ending in Password, PSK, …',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 4096 },
      ),
      parameterKey: Type.Optional(ParameterKey),
      ...forceModel,
    },
    'SetParameterValues',
  ),
  variant(
    'getParameterNames',
    { parameterPath: Path, nextLevel: Type.Optional(Type.Boolean({ default: false })) },
    'GetParameterNames (nextLevel default false: the whole subtree)',
  ),
  variant(
    'getParameterAttributes',
    { parameterNames: Type.Array(Path, { maxItems: 4096 }) },
    'GetParameterAttributes',
  ),
  variant(
    'setParameterAttributes',
    {
      parameters: Type.Array(
        Type.Object(
          {
            name: Path,
            notification: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
            notificationChange: Type.Optional(Type.Boolean()),
            accessList: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 })),
            accessListChange: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 4096 },
      ),
      ...forceModel,
    },
    'SetParameterAttributes (a *Change flag defaults to whether its value is given)',
  ),
  variant(
    'addObject',
    { objectName: ObjectPath, parameterKey: Type.Optional(ParameterKey), ...forceModel },
    'AddObject',
  ),
  variant(
    'deleteObject',
    { objectName: ObjectPath, parameterKey: Type.Optional(ParameterKey), ...forceModel },
    'DeleteObject',
  ),
  variant('reboot', { commandKey: Type.Optional(CommandKey) }, 'Reboot'),
  variant('factoryReset', {}, 'FactoryReset'),
  variant(
    'download',
    {
      ...transfer,
      ...servedFile,
      fileSize: Type.Optional(UInt),
      targetFileName: Type.Optional(Type.String({ maxLength: 256 })),
      delaySeconds: Type.Optional(UInt),
      successUrl: Type.Optional(OptionalUrl),
      failureUrl: Type.Optional(OptionalUrl),
    },
    'Download',
  ),
  variant(
    'upload',
    { ...transfer, delaySeconds: Type.Optional(UInt) },
    'Upload (fileType is required; without a url the file goes to the ACS and is kept under the device)',
  ),
  variant(
    'scheduleInform',
    { delaySeconds: UInt, commandKey: Type.Optional(CommandKey) },
    'ScheduleInform',
  ),
  variant(
    'scheduleDownload',
    {
      ...transfer,
      ...servedFile,
      fileSize: Type.Optional(UInt),
      targetFileName: Type.Optional(Type.String({ maxLength: 256 })),
      timeWindows: Type.Array(
        Type.Object(
          {
            windowStart: UInt,
            windowEnd: UInt,
            windowMode: Type.String({ minLength: 1, maxLength: 64 }),
            userMessage: Type.Optional(Type.String({ maxLength: 256 })),
            maxRetries: Type.Optional(Type.Integer({ minimum: -1, maximum: 2_147_483_647 })),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 2 },
      ),
    },
    'ScheduleDownload',
  ),
  variant('cancelTransfer', { commandKey: CommandKey }, 'CancelTransfer'),
  variant(
    'changeDUState',
    {
      operations: Type.Array(DuOperation, { minItems: 1, maxItems: 16 }),
      commandKey: Type.Optional(CommandKey),
    },
    'ChangeDUState',
  ),
  variant('getQueuedTransfers', {}, 'GetQueuedTransfers'),
  variant('getAllQueuedTransfers', {}, 'GetAllQueuedTransfers'),
  variant('getRPCMethods', {}, 'GetRPCMethods'),
  variant('getOptions', { optionName: Type.String({ maxLength: 64 }) }, 'GetOptions'),
  variant(
    'setVouchers',
    { voucherList: Type.Array(Type.String({ maxLength: 65_535 }), { maxItems: 64 }) },
    'SetVouchers (base64 vouchers)',
  ),
  variant('refresh', { path: Path }, 'Re-read a subtree (GetParameterNames + GetParameterValues)'),
] as const;

/**
 * `oneOf` with a discriminator: Ajv picks the branch by the tag and reports that branch's errors (an
 * unknown `type` is one clear error, not twenty), and OpenAPI shows one schema per task type.
 */
function oneOf<const T extends readonly TObject[]>(tag: string, variants: T) {
  return Type.Unsafe<Static<T[number]>>({
    type: 'object',
    required: [tag],
    discriminator: { propertyName: tag },
    oneOf: variants,
  } as unknown as TSchema);
}

export const TaskInput = oneOf('type', VARIANTS);
export type TaskInput = Static<(typeof VARIANTS)[number]>;
