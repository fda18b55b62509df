import multipart from '@fastify/multipart';
import { listPage } from '../list-paging.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type RecordSettings } from '../../access/index.ts';
import type { AppContext } from '../../app/index.ts';
import {
  contentLimits,
  type DocumentId,
  accessHistory,
  changeConfidentiality,
  deleteDocument,
  depositDocuments,
  episodeIdOf,
  getRecordOverview,
  maskAllDocuments,
  patientDocumentDate,
  readDocument,
  retrieveDocumentContent,
  searchDocuments,
  setProfessionalStatus,
  updateRecordSettings,
} from '../../record/index.ts';
import { findDocumentType } from '../../terminology/index.ts';
import { CarnetError, invalid } from '../../shared/index.ts';
import { patientRecordContracts, type DocumentsQuery } from '../contracts/record-api.ts';
import { browseOf } from './record-browse.ts';
import { registerRecordProApi } from './record-pro-api.ts';
import { registerRecordFoldersApi } from './record-folders-api.ts';
import {
  readableCda,
  readUpload,
  requiredField,
  sendDocumentContent,
  sendEmbedded,
} from './record-content.ts';
import {
  cdaView,
  documentView,
  groupedByCategory,
  historyChoices,
  historyView,
  professionalView,
  settingLabels,
} from './record-views.ts';
import { historyFilterOf, type HistoryQuery } from './history-query.ts';
import { actingFor, patientScopes, registerPatientScope } from './patient-acting-for.ts';

type PatientRequest<P = object, Q = object> = FastifyRequest<{
  Params: { patientId: string } & P;
  Querystring: Q;
}>;
type DocRequest<Q = object> = PatientRequest<{ id: string }, Q>;

/**
 * The JDV_J07 types a patient may give their own uploads: DOCPAT01…07 and 09 (DOCPAT08, the Mon espace santé
 * medical profile, is the service's own document, not an upload).
 */
export const patientUploadTypes = [
  'DOCPAT01',
  'DOCPAT02',
  'DOCPAT03',
  'DOCPAT04',
  'DOCPAT05',
  'DOCPAT06',
  'DOCPAT07',
  'DOCPAT09',
];

/** The shared record's JSON API for the patient space and (through record-pro-api.ts) the portal. */
export async function registerRecordApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerPatientScope(app, ctx, patientScopes.record);
  // Encapsulated: only these routes accept multipart bodies.
  await app.register(async (scope) => {
    await scope.register(multipart);
    registerPatientDocuments(scope, ctx);
    registerPatientControls(scope, ctx);
    registerRecordProApi(scope, ctx);
    registerRecordFoldersApi(scope, ctx, patientUploadTypes);
  });
}

const base = '/api/patient/record/:patientId';
const contentBaseOf = (patientId: string) => `/api/patient/record/${patientId}/documents`;

function registerPatientDocuments(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    `${base}/documents`,
    { schema: patientRecordContracts.documents },
    async (request: PatientRequest<object, DocumentsQuery>) => {
      const { principal, patientId } = actingFor(request);
      // Visits are a professional's (src/record/visits.ts): the patient's « Nouveau » is `unread`, not a silent no-op.
      if (request.query.since !== undefined)
        throw invalid(
          'since-professional-only',
          'Le filtre « nouveaux depuis ma dernière visite » est réservé aux professionnels : choisissez « non ouverts ».',
          'since',
        );
      const list = request.query.view === 'list';
      const page = listPage(request.query, list ? 50 : 200, 500);
      const found = await searchDocuments(ctx, principal, {
        patientId,
        browse: browseOf(request.query, false),
        facets: list,
        episodes: list,
        ...page,
      });
      // « Nouveau »: not opened yet by the signed-in person (the patient, or the representative of a child).
      const fresh = found.newIds;
      if (list)
        return {
          total: found.total,
          groups: [],
          documents: found.documents.map((doc) => ({
            ...documentView(doc, contentBaseOf(patientId)),
            isNew: fresh.has(doc.id),
            episodeId: episodeIdOf(doc),
          })),
          ...page,
          facets: found.facets,
          episodes: found.episodes,
          words: found.words,
        };
      const groups = groupedByCategory(found.documents, contentBaseOf(patientId)).map((group) => ({
        ...group,
        documents: group.documents.map((doc) => ({ ...doc, isNew: fresh.has(doc.id as DocumentId) })),
      }));
      return { total: found.total, groups };
    },
  );

  app.get(
    `${base}/documents/:id`,
    { schema: patientRecordContracts.document },
    async (request: DocRequest) => {
      const { principal, patientId } = actingFor(request);
      const doc = await readDocument(ctx, principal, request.params.id as DocumentId, patientId);
      return documentView(doc, contentBaseOf(patientId));
    },
  );

  app.get(
    `${base}/documents/:id/content`,
    { schema: patientRecordContracts.content },
    async (request: DocRequest<{ download?: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      const { document, content } = await retrieveDocumentContent(
        ctx,
        principal,
        request.params.id as DocumentId,
        patientId,
      );
      return sendDocumentContent(reply, document, content, request.query.download === '1');
    },
  );

  app.get(
    `${base}/documents/:id/view`,
    { schema: patientRecordContracts.view },
    async (request: DocRequest) => {
      const { principal, patientId } = actingFor(request);
      const cda = await readableCda(ctx, principal, request.params.id as DocumentId, patientId);
      return cdaView(cda, `${contentBaseOf(patientId)}/${request.params.id}/embedded`);
    },
  );

  // The document a CDA wraps (a PDF, usually), shown in the viewer's frame.
  app.get(
    `${base}/documents/:id/embedded`,
    { schema: patientRecordContracts.embedded },
    async (request: DocRequest<{ download?: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      const cda = await readableCda(ctx, principal, request.params.id as DocumentId, patientId);
      return sendEmbedded(reply, cda, request.query.download === '1');
    },
  );

  app.get(
    `${base}/upload-options`,
    { schema: patientRecordContracts.uploadOptions },
    async (request: PatientRequest) => {
      actingFor(request);
      const limits = contentLimits(ctx.config);
      return {
        maxBytes: limits.patientMaxBytes,
        formats: limits.patientTypes,
        types: patientUploadTypes.map((code) => ({ code, display: findDocumentType(code)?.display ?? code })),
      };
    },
  );

  app.post(
    `${base}/documents`,
    { schema: patientRecordContracts.deposit },
    async (request: PatientRequest, reply) => {
      const { principal, patientId } = actingFor(request);
      const upload = await readUpload(request, contentLimits(ctx.config).patientMaxBytes);
      const title = requiredField(upload, 'title', 'Indiquez un titre pour le document.');
      const typeCode = requiredField(upload, 'type', 'Choisissez le type du document.');
      if (!patientUploadTypes.includes(typeCode))
        throw invalid('type-invalid', 'Choisissez un type de document dans la liste.', 'type');
      // « Date du document » (optional): the document's date and the day of the care it is about, as a
      // professional's deposit carries them (attachment.creation, context.period); unknown, the deposit's instant.
      const date = patientDocumentDate(upload.fields.date, ctx.clock.now());
      const [doc] = await depositDocuments(ctx, principal, [
        {
          patientId,
          typeCode,
          title,
          createdAt: date,
          serviceStart: date,
          content: upload.bytes,
          declaredContentType: upload.mimetype,
        },
      ]);
      if (!doc) throw new CarnetError('internal', 'deposit-failed', 'Le dépôt a échoué. Réessayez.');
      return reply.status(201).send(documentView(doc, contentBaseOf(patientId)));
    },
  );

  for (const [action, change] of [
    ['mask', { add: ['MASQUE_PS' as const] }],
    ['unmask', { remove: ['MASQUE_PS' as const] }],
  ] as const) {
    app.post(
      `${base}/documents/:id/${action}`,
      { schema: patientRecordContracts.confidentiality },
      async (request: DocRequest) => {
        const { principal, patientId } = actingFor(request);
        const doc = await changeConfidentiality(ctx, principal, request.params.id as DocumentId, change);
        return documentView(doc, contentBaseOf(patientId));
      },
    );
  }

  app.delete(
    `${base}/documents/:id`,
    { schema: patientRecordContracts.delete },
    async (request: DocRequest, reply) => {
      const { principal } = actingFor(request);
      await deleteDocument(ctx, principal, request.params.id as DocumentId);
      return reply.status(204).send();
    },
  );
}

const statusChanges = {
  block: { blocked: true },
  unblock: { blocked: false },
  administrator: { administrator: true },
  'remove-administrator': { administrator: false },
} as const;

function registerPatientControls(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    `${base}/mask-all`,
    { schema: patientRecordContracts.maskAll },
    async (request: PatientRequest) => {
      const { principal, patientId } = actingFor(request);
      return { masked: await maskAllDocuments(ctx, principal, patientId) };
    },
  );

  const settingsAnswer = (settings: RecordSettings) => ({
    settings,
    labels: settingLabels,
  });
  app.get(
    `${base}/settings`,
    { schema: patientRecordContracts.settings },
    async (request: PatientRequest) => {
      const { principal, patientId } = actingFor(request);
      return settingsAnswer((await getRecordOverview(ctx, principal, patientId)).settings);
    },
  );
  app.put(
    `${base}/settings`,
    { schema: patientRecordContracts.updateSettings },
    async (request: PatientRequest) => {
      const { principal, patientId } = actingFor(request);
      const patch = request.body as Partial<RecordSettings>;
      // Fastify drops unknown properties: a body with none of ours is a mistake, not a no-op.
      if (Object.keys(patch).length === 0)
        throw invalid('settings-invalid', 'Indiquez au moins un réglage à modifier.');
      return settingsAnswer(await updateRecordSettings(ctx, principal, patientId, patch));
    },
  );

  app.get(
    `${base}/professionals`,
    { schema: patientRecordContracts.professionals },
    async (request: PatientRequest) => {
      const { principal, patientId } = actingFor(request);
      const { professionals } = await getRecordOverview(ctx, principal, patientId);
      return { professionals: professionals.map(professionalView) };
    },
  );
  for (const [action, change] of Object.entries(statusChanges)) {
    app.post(
      `${base}/professionals/:nationalId/${action}`,
      { schema: patientRecordContracts.professionalStatus },
      async (request: PatientRequest<{ nationalId: string }>) => {
        const { principal, patientId } = actingFor(request);
        const nationalId = request.params.nationalId;
        return professionalView(await setProfessionalStatus(ctx, principal, patientId, nationalId, change));
      },
    );
  }

  // The access history: others' accesses by default, filtered and paged by the query.
  app.get(
    `${base}/history`,
    { schema: patientRecordContracts.history },
    async (request: PatientRequest<object, HistoryQuery>) => {
      const { principal, patientId } = actingFor(request);
      const page = listPage(request.query, 50, 200);
      const filter = historyFilterOf(request.query);
      const history = await accessHistory(ctx, principal, patientId, page, filter);
      return {
        total: history.total,
        ...page,
        ...historyChoices(history.actors),
        entries: history.entries.map(historyView),
      };
    },
  );
}
