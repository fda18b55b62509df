import type { Principal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import { readProfile } from '../medical-profile/index.ts';
import { searchDocuments } from '../record/index.ts';
import { openExport, traceExport } from '../guard/index.ts';
import { renderSynthesisPdf } from './synthesis-pdf.ts';

/** The advance directives' document type (TRE_A05 EXPPAT_3), named in the synthesis' "wishes" section. */
const ADVANCE_DIRECTIVES = 'EXPPAT_3';

export interface ExportedFile {
  readonly fileName: string;
  readonly contentType: string;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The PDF synthesis of the whole profile, masked parts included, for the patient or their representative. */
export async function profileSynthesis(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<ExportedFile & { pdf: Uint8Array }> {
  const { person } = await openExport(ctx, principal, patientId, 'synthesis-pdf');
  const profile = await readProfile(ctx, principal, patientId);
  const directives = await searchDocuments(ctx, principal, {
    patientId,
    typeCodes: [ADVANCE_DIRECTIVES],
    count: 20,
    offset: 0,
  });
  const generatedAt = ctx.clock.now();
  const pdf = await renderSynthesisPdf({
    person,
    generatedAt,
    entries: profile.entries,
    masked: new Set(profile.masked),
    directives: directives.documents.map((doc) => ({ title: doc.title, depositedAt: doc.depositedAt })),
  });
  await traceExport(ctx, principal, patientId, 'synthesis-pdf', {
    entries: profile.entries.length,
    bytes: pdf.length,
  });
  return {
    fileName: `synthese-profil-medical-${day(generatedAt)}.pdf`,
    contentType: 'application/pdf',
    pdf,
  };
}
