import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import {
  changeFolderDocument,
  changePin,
  contentLimits,
  createFolder,
  deleteFolder,
  depositDocuments,
  patientDocumentDate,
  PHOTO_MAX_BYTES,
  PHOTOS_MAX,
  photosToPdf,
  readFolder,
  readFolders,
  readPinnedDocuments,
  renameFolder,
  type DocumentId,
} from '../../record/index.ts';
import { CarnetError, invalid } from '../../shared/index.ts';
import { patientFolderContracts as contracts } from '../contracts/record-api.ts';
import { actingFor } from './patient-acting-for.ts';
import { documentView } from './record-views.ts';

type FolderRequest<P = object, B = object> = FastifyRequest<{
  Params: { patientId: string; folderId: string } & P;
  Body: B;
}>;
type PatientRequest<P = object, B = object> = FastifyRequest<{ Params: { patientId: string } & P; Body: B }>;

const base = '/api/patient/record/:patientId';
const contentBaseOf = (patientId: string) => `/api/patient/record/${patientId}/documents`;

/**
 * The patient's own organisation of their record (src/record/folders.ts) and the deposit of photos made into one
 * PDF. Registered inside the record API's multipart scope, under the patient scope check of
 * patient-acting-for.ts: a professional never reaches these routes, and the guard refuses them anyway.
 */
export function registerRecordFoldersApi(
  app: FastifyInstance,
  ctx: AppContext,
  /** The types a patient may give an upload (record-api.ts), the same for photos as for a file. */
  uploadTypes: readonly string[],
): void {
  app.get(`${base}/folders`, { schema: contracts.folders }, async (request: PatientRequest) => {
    const { principal, patientId } = actingFor(request);
    return readFolders(ctx, principal, patientId);
  });

  app.post(
    `${base}/folders`,
    { schema: contracts.createFolder },
    async (request: PatientRequest<object, { name: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      return reply.status(201).send(await createFolder(ctx, principal, patientId, request.body.name));
    },
  );

  app.put(
    `${base}/folders/:folderId`,
    { schema: contracts.renameFolder },
    async (request: FolderRequest<object, { name: string }>) => {
      const { principal, patientId } = actingFor(request);
      return renameFolder(ctx, principal, patientId, request.params.folderId, request.body.name);
    },
  );

  app.delete(
    `${base}/folders/:folderId`,
    { schema: contracts.deleteFolder },
    async (request: FolderRequest, reply) => {
      const { principal, patientId } = actingFor(request);
      await deleteFolder(ctx, principal, patientId, request.params.folderId);
      return reply.status(204).send();
    },
  );

  app.get(
    `${base}/folders/:folderId/documents`,
    { schema: contracts.folder },
    async (request: FolderRequest) => {
      const { principal, patientId } = actingFor(request);
      const { folder, documents } = await readFolder(ctx, principal, patientId, request.params.folderId);
      return { folder, documents: documents.map((doc) => documentView(doc, contentBaseOf(patientId))) };
    },
  );

  for (const [method, change, schema] of [
    ['PUT', 'file', contracts.fileDocument],
    ['DELETE', 'unfile', contracts.unfileDocument],
  ] as const) {
    app.route({
      method,
      url: `${base}/folders/:folderId/documents/:id`,
      schema,
      handler: async (request: FolderRequest<{ id: string }>, reply) => {
        const { principal, patientId } = actingFor(request);
        const { folderId, id } = request.params;
        await changeFolderDocument(ctx, principal, patientId, folderId, id as DocumentId, change);
        return reply.status(204).send();
      },
    });
  }

  app.get(`${base}/pins`, { schema: contracts.pins }, async (request: PatientRequest) => {
    const { principal, patientId } = actingFor(request);
    const documents = await readPinnedDocuments(ctx, principal, patientId);
    return { documents: documents.map((doc) => documentView(doc, contentBaseOf(patientId))) };
  });

  for (const [method, pinned, schema] of [
    ['PUT', true, contracts.pin],
    ['DELETE', false, contracts.unpin],
  ] as const) {
    app.route({
      method,
      url: `${base}/pins/:id`,
      schema,
      handler: async (request: PatientRequest<{ id: string }>, reply) => {
        const { principal, patientId } = actingFor(request);
        await changePin(ctx, principal, patientId, request.params.id as DocumentId, pinned);
        return reply.status(204).send();
      },
    });
  }

  app.post(
    `${base}/documents/photos`,
    { schema: contracts.depositPhotos },
    async (request: PatientRequest, reply) => {
      const { principal, patientId } = actingFor(request);
      const maxBytes = contentLimits(ctx.config).patientMaxBytes;
      const { fields, photos } = await readPhotos(request);
      const title = fields.title?.trim();
      if (!title) throw invalid('title-required', 'Indiquez un titre pour le document.', 'title');
      if (title.length > 256)
        throw invalid('title-too-long', 'Ce champ est trop long (256 caractères au plus).', 'title');
      const typeCode = fields.type?.trim();
      if (!typeCode) throw invalid('type-required', 'Choisissez le type du document.', 'type');
      if (!uploadTypes.includes(typeCode))
        throw invalid('type-invalid', 'Choisissez un type de document dans la liste.', 'type');
      const pdf = await photosToPdf(photos, maxBytes);
      const date = patientDocumentDate(fields.date, ctx.clock.now());
      const [doc] = await depositDocuments(ctx, principal, [
        {
          patientId,
          typeCode,
          title,
          createdAt: date,
          serviceStart: date,
          content: pdf,
          declaredContentType: 'application/pdf',
        },
      ]);
      if (!doc) throw new CarnetError('internal', 'deposit-failed', 'Le dépôt a échoué. Réessayez.');
      return reply.status(201).send(documentView(doc, contentBaseOf(patientId)));
    },
  );
}

/** The photos (`photos` parts, in order) and the text fields of the form, each photo bounded in size. */
async function readPhotos(request: FastifyRequest) {
  if (!request.isMultipart())
    throw new CarnetError(
      'unsupported-media-type',
      'multipart-required',
      'Les photos doivent être envoyées comme un formulaire avec fichiers.',
    );
  const fields: Record<string, string> = {};
  const photos: Buffer[] = [];
  try {
    const limits = { fileSize: PHOTO_MAX_BYTES, files: PHOTOS_MAX + 1, fields: 10 };
    for await (const part of request.parts({ limits })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (bytes.length > 0) photos.push(bytes);
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new CarnetError(
        'too-large',
        'photo-too-large',
        `Une photo dépasse ${PHOTO_MAX_BYTES / 1024 / 1024} Mo : recadrez-la ou prenez-la en moins haute résolution.`,
      );
    if (code === 'FST_FILES_LIMIT')
      throw invalid('photos-too-many', `Envoyez ${PHOTOS_MAX} photos au plus pour un document.`, 'photos');
    throw error;
  }
  return { fields, photos };
}
