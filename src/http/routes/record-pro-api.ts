import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mayProduceType, type EmergencyMode, type ProfessionalPrincipal } from '../../access/index.ts';
import type { AppContext } from '../../app/index.ts';
import { professionalPrincipalFromRequest } from '../../auth/index.ts';
import { professionLabel, type PatientId } from '../../identity/index.ts';
import {
  contentLimits,
  episodeIdOf,
  type ConfidentialityFlag,
  type DocumentId,
  type RecordDocument,
  changeConfidentiality,
  currentEmergencyAccess,
  declareConsent,
  depositCountsByMonth,
  depositDocuments,
  DOCUMENT_TITLE_MAX_LENGTH,
  endEmergencyAccess,
  readDocument,
  retrieveDocumentContent,
  searchDocuments,
  startEmergencyAccess,
  titleTooLong,
  type EmergencyAccessView,
} from '../../record/index.ts';
import { findDocumentType } from '../../terminology/index.ts';
import { CarnetError, invalid } from '../../shared/index.ts';
import { proRecordContracts, type DocumentsQuery } from '../contracts/record-api.ts';
import { browseOf } from './record-browse.ts';
import { listPage } from '../list-paging.ts';
import { readableCda, readUpload, sendDocumentContent, sendEmbedded, type Upload } from './record-content.ts';
import { cdaView, documentView, groupedByCategory } from './record-views.ts';

/**
 * The types the portal offers for a deposit: the common ones of docs/identifiers.md "Document codes" (the FHIR API
 * takes any).
 */
export const portalDepositTypes = [
  '11488-4',
  '11490-0',
  '34112-3',
  '11502-2',
  '18748-4',
  '34874-8',
  '60591-5',
  '57833-6',
  '57832-8',
  '89601-9',
  '87273-9',
  '85208-7',
];

type ProRequest<P = object, Q = object> = FastifyRequest<{
  Params: { patientId: string } & P;
  Querystring: Q;
}>;
type ProDocRequest<Q = object> = ProRequest<{ id: string }, Q>;

const base = '/api/pro/patients/:patientId';
const contentBaseOf = (patientId: string) => `/api/pro/patients/${patientId}/documents`;

const emergencyView = (access: EmergencyAccessView | undefined) =>
  access
    ? { mode: access.mode, reason: access.reason ?? null, startedAt: access.startedAt, endsAt: access.endsAt }
    : { mode: 'normal' as const, reason: null, startedAt: null, endsAt: null };

async function deposit(
  ctx: AppContext,
  principal: ProfessionalPrincipal,
  patientId: PatientId,
  upload: Upload,
  defaults: { title?: string; typeCode?: string; replacesId?: DocumentId } = {},
): Promise<RecordDocument> {
  const title = upload.fields.title?.trim() || defaults.title;
  const date = upload.fields.date?.trim();
  if (date !== undefined && date !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw invalid('date-invalid', 'Indiquez la date du document (jour, mois, année).', 'date');
  const typeCode = upload.fields.type?.trim() || defaults.typeCode;
  if (!title) throw invalid('title-required', 'Indiquez un titre pour le document.', 'title');
  if (title.length > DOCUMENT_TITLE_MAX_LENGTH) throw titleTooLong();
  if (!typeCode) throw invalid('type-required', 'Choisissez le type du document.', 'type');
  const [doc] = await depositDocuments(ctx, principal, [
    {
      patientId,
      typeCode,
      title,
      content: upload.bytes,
      declaredContentType: upload.mimetype,
      ...(date ? { createdAt: date } : {}),
      confidentiality: visibilityOf(upload),
      ...(defaults.replacesId ? { replacesId: defaults.replacesId } : {}),
    },
  ]);
  if (!doc) throw new CarnetError('internal', 'deposit-failed', 'Le dépôt a échoué. Réessayez.');
  return doc;
}

/**
 * The DMP's visibility options a deposit form offers, one checkbox each: hidden from the patient until the
 * announcement consultation (`INVISIBLE_PATIENT`), hidden from other professionals (`MASQUE_PS`).
 */
function visibilityOf(upload: Upload): ConfidentialityFlag[] {
  const ticked = (name: string) => upload.fields[name] === 'on' || upload.fields[name] === 'true';
  return [
    ...(ticked('invisiblePatient') ? (['INVISIBLE_PATIENT'] as const) : []),
    ...(ticked('maskedProfessionals') ? (['MASQUE_PS'] as const) : []),
  ];
}

/** The portal's record routes (professional session cookie). */
export function registerRecordProApi(app: FastifyInstance, ctx: AppContext): void {
  const principalOf = (request: FastifyRequest) => professionalPrincipalFromRequest(ctx, request);
  const view = (principal: ProfessionalPrincipal, patientId: string, doc: RecordDocument) => ({
    ...documentView(doc, contentBaseOf(patientId)),
    ownDeposit: doc.author.nationalId === principal.nationalId,
  });

  // Only the types this professional's profession may produce (the VSM is the doctor's).
  app.get('/api/pro/document-types', { schema: proRecordContracts.documentTypes }, async (request) => {
    const principal = await principalOf(request);
    return {
      types: portalDepositTypes.flatMap((code) => {
        const type = findDocumentType(code);
        return type && mayProduceType(principal, type) ? [{ code, display: type.display }] : [];
      }),
    };
  });

  app.get(
    `${base}/documents`,
    { schema: proRecordContracts.documents },
    async (request: ProRequest<object, DocumentsQuery>) => {
      const principal = await principalOf(request);
      const patientId = request.params.patientId as PatientId;
      const list = request.query.view === 'list';
      const page = listPage(request.query, list ? 50 : 200, 500);
      const found = await searchDocuments(ctx, principal, {
        patientId,
        browse: browseOf(request.query, true),
        facets: list,
        episodes: list,
        ...page,
      });
      const common = {
        total: found.total,
        // A count only: which documents the matrix hides is not the professional's to know.
        hiddenByMatrix: found.hiddenByMatrix,
        // Only their own deposits: the portal asks for the patient's consent to show the rest.
        ownDocumentsOnly: found.ownDocumentsOnly,
        // Whom the matrix hides them from, for « … en tant que chirurgien-dentiste ».
        profession: professionLabel(principal.professionCode).toLowerCase(),
      };
      if (list) {
        return {
          ...common,
          groups: [],
          documents: found.documents.map((doc) => ({
            ...view(principal, patientId, doc),
            // « Pas encore ouvert » for this professional.
            isNew: found.newIds.has(doc.id),
            episodeId: episodeIdOf(doc),
          })),
          ...page,
          facets: found.facets,
          episodes: found.episodes,
          words: found.words,
          lastVisitAt: found.lastVisitAt ?? null,
        };
      }
      const groups = groupedByCategory(found.documents, contentBaseOf(patientId)).map((group) => ({
        ...group,
        documents: group.documents.map((d) => ({
          ...d,
          ownDeposit: d.author.nationalId === principal.nationalId,
        })),
      }));
      return { ...common, groups };
    },
  );

  app.get(
    `${base}/documents/:id`,
    { schema: proRecordContracts.document },
    async (request: ProDocRequest) => {
      const principal = await principalOf(request);
      const doc = await readDocument(
        ctx,
        principal,
        request.params.id as DocumentId,
        request.params.patientId as PatientId,
      );
      return view(principal, request.params.patientId, doc);
    },
  );

  app.get(
    `${base}/documents/:id/view`,
    { schema: proRecordContracts.view },
    async (request: ProDocRequest) => {
      const cda = await readableCda(
        ctx,
        await principalOf(request),
        request.params.id as DocumentId,
        request.params.patientId as PatientId,
      );
      return cdaView(cda, `${contentBaseOf(request.params.patientId)}/${request.params.id}/embedded`);
    },
  );

  app.get(
    `${base}/documents/:id/embedded`,
    { schema: proRecordContracts.embedded },
    async (request: ProDocRequest<{ download?: string }>, reply) => {
      const cda = await readableCda(
        ctx,
        await principalOf(request),
        request.params.id as DocumentId,
        request.params.patientId as PatientId,
      );
      return sendEmbedded(reply, cda, request.query.download === '1');
    },
  );

  app.get(
    `${base}/documents/:id/content`,
    { schema: proRecordContracts.content },
    async (request: ProDocRequest<{ download?: string }>, reply) => {
      const principal = await principalOf(request);
      const { document, content } = await retrieveDocumentContent(
        ctx,
        principal,
        request.params.id as DocumentId,
        request.params.patientId as PatientId,
      );
      return sendDocumentContent(reply, document, content, request.query.download === '1');
    },
  );

  app.post(
    `${base}/documents`,
    { schema: proRecordContracts.deposit },
    async (request: ProRequest, reply) => {
      const principal = await principalOf(request);
      const patientId = request.params.patientId as PatientId;
      const upload = await readUpload(request, contentLimits(ctx.config).professionalMaxBytes);
      const doc = await deposit(ctx, principal, patientId, upload);
      return reply.status(201).send(view(principal, patientId, doc));
    },
  );

  app.post(
    `${base}/documents/:id/replace`,
    { schema: proRecordContracts.replace },
    async (request: ProDocRequest, reply) => {
      const principal = await principalOf(request);
      const patientId = request.params.patientId as PatientId;
      const upload = await readUpload(request, contentLimits(ctx.config).professionalMaxBytes);
      const old = await readDocument(
        ctx,
        principal,
        request.params.id as DocumentId,
        request.params.patientId as PatientId,
      );
      if (old.patientId !== patientId)
        throw invalid('document-patient-mismatch', 'Ce document n’est pas dans ce dossier.');
      const doc = await deposit(ctx, principal, patientId, upload, {
        title: old.title,
        typeCode: old.typeCode,
        replacesId: old.id,
      });
      return reply.status(201).send(view(principal, patientId, doc));
    },
  );

  // « Rendre visible au patient »: the author lifts INVISIBLE_PATIENT after the announcement (the patient is told).
  app.post(
    `${base}/documents/:id/reveal`,
    { schema: proRecordContracts.reveal },
    async (request: ProDocRequest) => {
      const principal = await principalOf(request);
      const patientId = request.params.patientId as PatientId;
      const current = await readDocument(ctx, principal, request.params.id as DocumentId, patientId);
      const doc = await changeConfidentiality(ctx, principal, current.id, { remove: ['INVISIBLE_PATIENT'] });
      return view(principal, patientId, doc);
    },
  );

  app.post(`${base}/consent`, { schema: proRecordContracts.consent }, async (request: ProRequest, reply) => {
    const principal = await principalOf(request);
    await declareConsent(ctx, principal, request.params.patientId as PatientId);
    return reply.status(204).send();
  });

  // An emergency access is to one patient's record: it is started, shown and ended on that record only.
  app.get(`${base}/emergency`, { schema: proRecordContracts.emergency }, async (request: ProRequest) => {
    const principal = await principalOf(request);
    const access = await currentEmergencyAccess(ctx, principal, request.params.patientId as PatientId);
    return { ...emergencyView(access), regulator: principal.signIn.regulator };
  });
  app.post<{ Params: { patientId: string }; Body: { mode: EmergencyMode; reason?: string } }>(
    `${base}/emergency`,
    { schema: proRecordContracts.startEmergency },
    async (request, reply) => {
      const principal = await principalOf(request);
      const patientId = request.params.patientId as PatientId;
      const access = await startEmergencyAccess(ctx, principal, patientId, {
        mode: request.body.mode,
        reason: request.body.reason?.trim() || undefined,
      });
      return reply.status(201).send({ ...emergencyView(access), regulator: principal.signIn.regulator });
    },
  );
  app.delete(
    `${base}/emergency`,
    { schema: proRecordContracts.endEmergency },
    async (request: ProRequest, reply) => {
      const principal = await principalOf(request);
      await endEmergencyAccess(ctx, principal, request.params.patientId as PatientId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/pro/me/deposits-by-month',
    { schema: proRecordContracts.depositsByMonth },
    async (request) => ({
      months: await depositCountsByMonth(ctx, await principalOf(request)),
    }),
  );
}
