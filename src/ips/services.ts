import type { Principal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById } from '../insured/index.ts';
import { ADVANCE_DIRECTIVES_TYPE, readProfile } from '../medical-profile/index.ts';
import { searchDocuments } from '../record/index.ts';
import { notFound } from '../shared/index.ts';
import { latestVsm, readVsmContent, uuidOid, type VsmContent } from '../vsm/index.ts';
import { assembleIpsContent } from './collect.ts';
import type { IpsInput } from './model.ts';

const frenchDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));

/** The newest VSM the principal may read, as content; undefined when none, or when it is not a readable CDA. */
async function newestVsmContent(ctx: AppContext, principal: Principal, patientId: PatientId) {
  const previous = await latestVsm(ctx, principal, patientId);
  if (!previous?.cda) return undefined;
  let vsm: VsmContent;
  try {
    vsm = readVsmContent(previous.cda.xml);
  } catch {
    // Another producer's document of the same type that is no readable VSM: the profile alone makes the summary.
    return undefined;
  }
  return { vsm, authorName: previous.document.author.name, createdAt: previous.document.createdAt };
}

/**
 * The patient summary as this principal may see it (CI-SIS IPS-FR): the profile through `readProfile` (habilitation
 * matrix, the patient's masks, its trace), the newest VSM and the advance directives documents through the record's
 * search and retrieval (same policy, same traces). A refusal of the whole record is thrown as those services throw
 * it; what the principal may not read is simply not in the summary.
 */
export async function patientSummary(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<IpsInput> {
  const person = await findInsuredById(ctx.db, patientId);
  if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
  const profile = await readProfile(ctx, principal, patientId);
  const source = await newestVsmContent(ctx, principal, patientId);
  const { documents: directives } = await searchDocuments(ctx, principal, {
    patientId,
    typeCodes: [ADVANCE_DIRECTIVES_TYPE],
    count: 5,
    offset: 0,
  });
  const now = ctx.clock.now();
  return {
    documentOid: uuidOid(),
    generatedAt: now,
    patient: person,
    content: assembleIpsContent(
      source?.vsm,
      profile.entries,
      directives.map(
        (d) => `${d.title} — document déposé le ${frenchDate(d.createdAt)} dans le dossier médical.`,
      ),
      now.toISOString().slice(0, 10),
    ),
    ...(source ? { sourceVsm: { authorName: source.authorName, createdAt: source.createdAt } } : {}),
  };
}
