import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { BlobError, type BlobStore } from '../../acs/files/blob-store.ts';
import type { FileRecord, UploadRecord } from '../../store/files.ts';
import { MAX_PAGE } from '../../store/store.ts';
import { type App, deviceIdParam, principalOf, type RouteDeps } from '../app.ts';
import { actorOf } from '../auth.ts';
import { ApiError, fromStoreError } from '../errors.ts';
import { bodyErrors, DeviceParams, errors, Limit, NoContent, Offset } from '../schemas/common.ts';

const TAGS = ['files'];

/** Where the API keeps file bytes, and how many it takes in one file. */
export interface ApiFiles {
  blobs: BlobStore;
  maxBytes: number;
}

const Id = Type.String({ pattern: '^[0-9a-f]{32}$', description: '32 hex characters' });
const FileParams = Type.Object({ fileId: Id }, { additionalProperties: false });
const UploadParams = Type.Object({ uploadId: Id }, { additionalProperties: false });
const Nullable = (description: string) =>
  Type.Union([Type.String({ maxLength: 256 }), Type.Null()], { description });

const FileView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  fileType: Type.String({ description: 'TR-069 FileType, e.g. "1 Firmware Upgrade Image"' }),
  target: Type.Object({
    oui: Nullable('Meant for this OUI only (null: any)'),
    productClass: Nullable('Meant for this ProductClass only (null: any)'),
    softwareVersion: Nullable('Meant for devices running this version (null: any)'),
  }),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Type.Integer(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
});

const UploadView = Type.Object({
  id: Type.String(),
  deviceId: Type.String(),
  fileType: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  receivedAt: Type.Integer(),
});

const TargetText = Type.String({ minLength: 1, maxLength: 256 });

const CreateQuery = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256, description: 'A name for people' }),
    fileType: Type.String({ minLength: 1, maxLength: 64, description: 'TR-069 FileType' }),
    oui: Type.Optional(TargetText),
    productClass: Type.Optional(TargetText),
    softwareVersion: Type.Optional(TargetText),
    sha256: Type.Optional(
      Type.String({
        pattern: '^[0-9a-fA-F]{64}$',
        description: 'The expected SHA-256: a body that does not match is refused and not kept',
      }),
    ),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    fileType: Type.Optional(Type.String({ maxLength: 64 })),
    oui: Type.Optional(TargetText),
    productClass: Type.Optional(TargetText),
    softwareVersion: Type.Optional(TargetText),
    limit: Type.Optional(Limit),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
);

const PageQuery = Type.Object(
  { limit: Type.Optional(Limit), offset: Type.Optional(Offset) },
  { additionalProperties: false },
);

function fileView(f: FileRecord) {
  const { blobId: _blob, ...view } = f;
  return view;
}

function uploadView(u: UploadRecord) {
  const { blobId: _blob, ...view } = u;
  return view;
}

/**
 * Files the ACS serves to devices (firmware images, configuration files) and what devices uploaded to it.
 * Bodies are raw bytes (`application/octet-stream`), streamed to the blob store with the metadata in the query,
 * so a firmware image of hundreds of megabytes never sits in memory. Device uploads can hold configuration
 * secrets: reading their bytes takes the operator role.
 */
export function fileRoutes(app: App, { store, log }: RouteDeps, files: ApiFiles | null): void {
  const need = (): ApiFiles => {
    if (files === null) throw new ApiError('unavailable', 'this ACS keeps no files');
    return files;
  };

  // The body stays a stream for the handler; the blob store enforces the size.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
    done(null, payload),
  );

  app.post(
    '/api/v1/files',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary:
          'Store a file to serve to devices (the body is the file, not empty; its name unique: 409 names the file that has it)',
        querystring: CreateQuery,
        consumes: ['application/octet-stream'],
        response: { 201: FileView, ...errors(409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { blobs, maxBytes } = need();
      const body = request.body as AsyncIterable<Uint8Array> | undefined;
      if (body === undefined || typeof body !== 'object' || !(Symbol.asyncIterator in body)) {
        throw new ApiError('unsupported-media-type', 'the body must be application/octet-stream');
      }
      const q = request.query;
      let blob: Awaited<ReturnType<BlobStore['put']>>;
      try {
        blob = await blobs.put(body, { maxBytes });
      } catch (error) {
        if (error instanceof BlobError && error.reason === 'too-large') {
          reply.header('connection', 'close');
          throw new ApiError('body-too-large', `a file may have at most ${maxBytes} bytes`);
        }
        throw error;
      }
      try {
        // A zero-byte image is never what was meant (an empty --data-binary, a wrong path): a device would
        // flash nothing, or fail, with a 201 behind it.
        if (blob.size === 0) throw new ApiError('invalid', 'the file is empty (0 bytes)', 'body');
        if (q.sha256 !== undefined && q.sha256.toLowerCase() !== blob.sha256) {
          throw new ApiError('invalid', 'the body does not have this SHA-256', 'sha256');
        }
        const record = await create({
          name: q.name,
          fileType: q.fileType,
          target: {
            oui: q.oui ?? null,
            productClass: q.productClass ?? null,
            softwareVersion: q.softwareVersion ?? null,
          },
          size: blob.size,
          sha256: blob.sha256,
          blobId: blob.id,
          createdBy: actorOf(principalOf(request)),
        });
        log('api-file-created', { fileId: record.id, size: record.size });
        return reply.code(201).send(fileView(record));
      } catch (error) {
        await blobs.delete(blob.id); // nothing half-kept
        throw error;
      }
    },
  );

  /** A taken name is the one conflict a new blob can meet: the 409 names the field (the message, the file). */
  async function create(input: Parameters<typeof store.files.create>[0]): Promise<FileRecord> {
    try {
      return await store.files.create(input);
    } catch (error) {
      throw fromStoreError(error, 'name') ?? error;
    }
  }

  app.get(
    '/api/v1/files',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'Stored files, newest first (target filters admit files meant for any)',
        querystring: ListQuery,
        response: { 200: Type.Object({ files: Type.Array(FileView) }), ...errors() },
      },
    },
    async (request) => ({ files: (await store.files.list(request.query)).map(fileView) }),
  );

  app.get(
    '/api/v1/files/:fileId',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'One file’s metadata',
        params: FileParams,
        response: { 200: FileView, ...errors(404) },
      },
    },
    async (request) => fileView(await found(store.files.get(request.params.fileId), 'fileId')),
  );

  app.get(
    '/api/v1/files/:fileId/content',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'One file’s bytes',
        params: FileParams,
        response: { ...errors(404) },
      },
    },
    async (request, reply) => {
      const record = await found(store.files.get(request.params.fileId), 'fileId');
      return sendBlob(need().blobs, record.blobId, record.sha256, reply);
    },
  );

  app.patch(
    '/api/v1/files/:fileId',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary:
          'Rename a file or change whom it is meant for (its bytes never change: upload a new file)',
        params: FileParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
            target: Type.Optional(
              Type.Object(
                {
                  oui: Type.Optional(Type.Union([TargetText, Type.Null()])),
                  productClass: Type.Optional(Type.Union([TargetText, Type.Null()])),
                  softwareVersion: Type.Optional(Type.Union([TargetText, Type.Null()])),
                },
                { additionalProperties: false, description: 'null: any; left out: unchanged' },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: FileView, ...bodyErrors(404, 409) },
      },
    },
    async (request) => {
      const fileId = request.params.fileId;
      // Whom a firmware is meant for narrows a campaign's device set: changing it under a campaign that was
      // created, approved or is running would change what its approver agreed to (four eyes, security.md 12).
      const campaigns = await store.campaigns.list({
        states: ['draft', 'approved', 'running', 'paused'],
        limit: MAX_PAGE,
      });
      const user = campaigns.find(
        ({ definition: d }) =>
          typeof d === 'object' && d !== null && !Array.isArray(d) && d.fileId === fileId,
      );
      if (user !== undefined && request.body.target !== undefined) {
        throw new ApiError(
          'conflict',
          `campaign ${user.id} (${user.state}) names this file: its target cannot change now`,
          'target',
        );
      }
      return fileView(await found(store.files.update(fileId, request.body), 'fileId'));
    },
  );

  app.delete(
    '/api/v1/files/:fileId',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Delete a file (a queued Download of it then fails, saying so)',
        params: FileParams,
        response: { 204: NoContent, ...errors(404) },
      },
    },
    async (request, reply) => {
      const deleted = await store.files.delete(request.params.fileId);
      if (deleted === null) throw new ApiError('not-found', 'no such file', 'fileId');
      await files?.blobs.delete(deleted.blobId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/devices/:deviceId/uploads',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'What the device uploaded to the ACS (TR-069 Upload), newest first',
        params: DeviceParams,
        querystring: PageQuery,
        response: { 200: Type.Object({ uploads: Type.Array(UploadView) }), ...errors(404) },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      return { uploads: (await store.files.uploads(id, request.query)).map(uploadView) };
    },
  );

  app.get(
    '/api/v1/uploads/:uploadId/content',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'An upload’s bytes (configuration backups can hold secrets: operator role)',
        params: UploadParams,
        response: { ...errors(404) },
      },
    },
    async (request, reply) => {
      const record = await found(store.files.getUpload(request.params.uploadId), 'uploadId');
      return sendBlob(need().blobs, record.blobId, record.sha256, reply);
    },
  );

  app.delete(
    '/api/v1/uploads/:uploadId',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Delete an upload',
        params: UploadParams,
        response: { 204: NoContent, ...errors(404) },
      },
    },
    async (request, reply) => {
      const deleted = await store.files.deleteUpload(request.params.uploadId);
      if (deleted === null) throw new ApiError('not-found', 'no such upload', 'uploadId');
      await files?.blobs.delete(deleted.blobId);
      return reply.code(204).send(null);
    },
  );
}

async function found<T>(lookup: Promise<T | null>, field: string): Promise<T> {
  const record = await lookup;
  if (record === null) throw new ApiError('not-found', `no such ${field.slice(0, -2)}`, field);
  return record;
}

async function sendBlob(blobs: BlobStore, blobId: string, sha256: string, reply: FastifyReply) {
  const read = await blobs.get(blobId);
  if (read === null) throw new ApiError('not-found', 'the file’s bytes are gone');
  reply.header('content-type', 'application/octet-stream');
  reply.header('content-length', String(read.size));
  reply.header('etag', `"${sha256}"`);
  return reply.send(read.stream);
}
