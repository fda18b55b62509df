import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Principal, denyMessages, type DenyReason } from '../../access/index.ts';
import type { AppContext } from '../../app/index.ts';
import { professionalPrincipalFromRequest } from '../../auth/index.ts';
import type { PatientId } from '../../identity/index.ts';
import {
  ADVANCE_DIRECTIVES_TYPE,
  addProfileEntry,
  allergyCategoryLabels,
  allergySeverityLabels,
  contactRoleLabels,
  deleteProfileEntry,
  depositAdvanceDirectives,
  entrySummary,
  familyRelationLabels,
  isProfileArea,
  isProfileSection,
  lifestyleTopicLabels,
  measurementKinds,
  organDonationLabels,
  profileAreaLabels,
  profileSections,
  readProfile,
  setAreaMasked,
  updateProfileEntry,
  vaccineCodes,
  vaccineLabels,
  type ProfileEntry,
  type ProfileSection,
  type ProfileView,
} from '../../medical-profile/index.ts';
import { contentLimits, searchDocuments } from '../../record/index.ts';
import { invalid } from '../../shared/index.ts';
import { profileContracts } from '../contracts/profile-api.ts';
import { readUpload } from './record-content.ts';
import { documentView } from './record-views.ts';
import { actingFor, patientScopes, registerPatientScope } from './patient-acting-for.ts';

type PatientRequest<P = object, Q = object> = FastifyRequest<{
  Params: { patientId: string } & P;
  Querystring: Q;
}>;

const base = '/api/patient/record/:patientId/profile';
const contentBaseOf = (patientId: string) => `/api/patient/record/${patientId}/documents`;

/** What the forms need: choices and their French labels, units and plausible ranges. */
export const profileCatalogue = {
  sections: profileSections.map((section) => ({ section, label: profileAreaLabels[section] })),
  areaLabels: profileAreaLabels,
  vaccines: vaccineCodes.map((code) => ({ code, label: vaccineLabels[code] })),
  measurementKinds: Object.values(measurementKinds).map((k) => ({
    kind: k.kind,
    label: k.label,
    unit: k.unit,
    unitLabel: k.unitLabel,
    min: k.min,
    max: k.max,
    decimals: k.decimals,
    loinc: k.loinc,
  })),
  allergyCategories: allergyCategoryLabels,
  allergySeverities: allergySeverityLabels,
  familyRelations: familyRelationLabels,
  lifestyleTopics: lifestyleTopicLabels,
  contactRoles: contactRoleLabels,
  organDonation: organDonationLabels,
};

const entryView = (entry: ProfileEntry) => ({ ...entry, summary: entrySummary(entry) });

function profileAnswer(view: ProfileView) {
  return {
    entries: view.entries.map(entryView),
    masked: view.masked,
    refused: view.refused.map((r) => ({
      ...r,
      label: profileAreaLabels[r.section],
      message: refusalMessage(r.reason),
    })),
  };
}

function refusalMessage(reason: DenyReason): string {
  if (reason === 'masked') return 'Le patient a masqué cette rubrique aux professionnels.';
  if (reason === 'habilitation') return 'Votre profession n’est pas habilitée à consulter cette rubrique.';
  return denyMessages[reason];
}

function sectionsOf(query: { section?: string }): ProfileSection[] | undefined {
  if (!query.section) return undefined;
  const sections = query.section.split(',');
  for (const s of sections) {
    if (!isProfileSection(s))
      throw invalid('section-invalid', 'Cette rubrique du profil n’existe pas.', 'section');
  }
  return sections as ProfileSection[];
}

/** The advance directives documents this principal may see (the search is the policy's and is traced). */
async function directivesDocuments(ctx: AppContext, principal: Principal, patientId: PatientId) {
  const found = await searchDocuments(ctx, principal, {
    patientId,
    typeCodes: [ADVANCE_DIRECTIVES_TYPE],
    count: 20,
    offset: 0,
  });
  return found.documents;
}

/** The medical profile's JSON API: the patient space under /api/patient/record, the portal under /api/pro. */
export async function registerProfileApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerPatientScope(app, ctx, patientScopes.record);
  await app.register(async (scope) => {
    await scope.register(multipart);
    registerPatientProfile(scope, ctx);
    registerProProfile(scope, ctx);
  });
}

function registerPatientProfile(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    `${base}`,
    { schema: profileContracts.profile },
    async (request: PatientRequest<object, { section?: string }>) => {
      const { principal, patientId } = actingFor(request);
      const sections = sectionsOf(request.query);
      const view = await readProfile(ctx, principal, patientId, sections ? { sections } : {});
      return { ...profileAnswer(view), catalogue: profileCatalogue };
    },
  );

  app.post(
    `${base}/sections/:section`,
    { schema: profileContracts.addEntry },
    async (request: PatientRequest<{ section: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      const section = request.params.section;
      if (!isProfileSection(section))
        throw invalid('section-invalid', 'Cette rubrique du profil n’existe pas.');
      const entry = await addProfileEntry(ctx, principal, patientId, section, request.body);
      return reply.status(201).send(entryView(entry));
    },
  );

  app.put(
    `${base}/entries/:entryId`,
    { schema: profileContracts.updateEntry },
    async (request: PatientRequest<{ entryId: string }>) => {
      const { principal, patientId } = actingFor(request);
      return entryView(
        await updateProfileEntry(ctx, principal, patientId, request.params.entryId, request.body),
      );
    },
  );

  app.delete(
    `${base}/entries/:entryId`,
    { schema: profileContracts.deleteEntry },
    async (request: PatientRequest<{ entryId: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      await deleteProfileEntry(ctx, principal, patientId, request.params.entryId);
      return reply.status(204).send();
    },
  );

  app.put(
    `${base}/masks/:area`,
    { schema: profileContracts.mask },
    async (request: PatientRequest<{ area: string }>) => {
      const { principal, patientId } = actingFor(request);
      const area = request.params.area;
      if (!isProfileArea(area)) throw invalid('section-invalid', 'Cette rubrique du profil n’existe pas.');
      const { masked } = request.body as { masked: boolean };
      await setAreaMasked(ctx, principal, patientId, area, masked);
      return { area, masked };
    },
  );

  app.get(`${base}/directives`, { schema: profileContracts.directives }, async (request: PatientRequest) => {
    const { principal, patientId } = actingFor(request);
    const documents = await directivesDocuments(ctx, principal, patientId);
    return { documents: documents.map((d) => documentView(d, contentBaseOf(patientId))) };
  });

  // The form: the PDF is built here and deposited as the patient's EXPPAT_3.
  app.post(
    `${base}/directives`,
    { schema: profileContracts.writeDirectives },
    async (request: PatientRequest, reply) => {
      const { principal, patientId } = actingFor(request);
      const doc = await depositAdvanceDirectives(ctx, principal, patientId, { form: request.body });
      return reply.status(201).send(documentView(doc, contentBaseOf(patientId)));
    },
  );

  // Directives written elsewhere (a scan, the HAS model filled by hand): uploaded as they are.
  app.post(
    `${base}/directives/upload`,
    { schema: profileContracts.uploadDirectives },
    async (request: PatientRequest, reply) => {
      const { principal, patientId } = actingFor(request);
      const upload = await readUpload(request, contentLimits(ctx.config).patientMaxBytes);
      const doc = await depositAdvanceDirectives(ctx, principal, patientId, {
        upload: { bytes: upload.bytes, contentType: upload.mimetype },
      });
      return reply.status(201).send(documentView(doc, contentBaseOf(patientId)));
    },
  );
}

function registerProProfile(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/pro/patients/:patientId/profile',
    { schema: profileContracts.proProfile },
    async (request: FastifyRequest<{ Params: { patientId: string } }>) => {
      const principal = await professionalPrincipalFromRequest(ctx, request);
      const patientId = request.params.patientId as PatientId;
      const view = await readProfile(ctx, principal, patientId);
      const directives = await directivesDocuments(ctx, principal, patientId);
      return {
        ...profileAnswer(view),
        areaLabels: profileAreaLabels,
        measurementKinds: profileCatalogue.measurementKinds,
        directives: directives.map((d) => documentView(d, `/api/pro/patients/${patientId}/documents`)),
      };
    },
  );
}
