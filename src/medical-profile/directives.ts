import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import { type Principal, decideDeposit } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import { displayName, findInsuredById, type InsuredPerson } from '../insured/index.ts';
import {
  trace,
  depositDocuments,
  type RecordDocument,
  loadRecordContext,
  denialError,
  inRecordTransaction,
  refuse,
} from '../record/index.ts';
import { CarnetError, invalid, notFound } from '../shared/index.ts';

/** Directives anticipées (Code de la santé publique L1111-11), as the patient writes them in the form. */
export interface AdvanceDirectivesForm {
  /** Wishes about treatments that keep alive (resuscitation, ventilation, dialysis, artificial feeding). */
  lifeSupport: string;
  /** Wishes about relief of suffering and sedation. */
  painRelief?: string;
  otherWishes?: string;
  /** Name and contact of the personne de confiance, if any. */
  trustedPerson?: string;
  /** Where they are signed ("Fait à"). */
  place: string;
}

export const ADVANCE_DIRECTIVES_TYPE = 'EXPPAT_3';
const MAX_FIELD = 4000;

export function checkDirectivesForm(value: unknown): AdvanceDirectivesForm {
  if (typeof value !== 'object' || value === null)
    throw invalid('directives-invalid', 'Formulaire invalide.');
  const f = value as Record<string, unknown>;
  const field = (key: string, label: string, required: boolean): string | undefined => {
    const v = f[key];
    if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) {
      if (required) throw invalid('directives-invalid', `${label} : ce champ est obligatoire.`, key);
      return undefined;
    }
    if (typeof v !== 'string') throw invalid('directives-invalid', `${label} : texte attendu.`, key);
    if (v.length > MAX_FIELD) {
      throw invalid('directives-invalid', `${label} : ${MAX_FIELD} caractères au plus.`, key);
    }
    return v.trim();
  };
  const form: AdvanceDirectivesForm = {
    lifeSupport: field('lifeSupport', 'Traitements de maintien en vie', true)!,
    place: field('place', 'Fait à', true)!,
  };
  const painRelief = field('painRelief', 'Soulagement de la souffrance', false);
  const otherWishes = field('otherWishes', 'Autres volontés', false);
  const trustedPerson = field('trustedPerson', 'Personne de confiance', false);
  return {
    ...form,
    ...(painRelief ? { painRelief } : {}),
    ...(otherWishes ? { otherWishes } : {}),
    ...(trustedPerson ? { trustedPerson } : {}),
  };
}

/** Standard PDF fonts speak WinAnsi: keep French letters, fold anything else to its base letter. */
function winAnsi(text: string): string {
  return [...text]
    .map((c) =>
      /[\u0020-\u007e\u00a0-\u00ff’«»œŒ€]/.test(c)
        ? c
        : c.normalize('NFD').replace(/[^\u0020-\u007e]/g, '') || '?',
    )
    .join('');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of winAnsi(text.replace(/\t/g, ' ')).split(/\r?\n/)) {
    let current = '';
    for (const word of paragraph.split(/\s+/)) {
      const candidate = current ? `${current} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width || !current) current = candidate;
      else {
        lines.push(current);
        current = word;
      }
    }
    lines.push(current);
  }
  return lines;
}

const dateFr = (day: Date) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(day);

/** The signed-by-typing PDF of the patient's directives (A4, text, several pages when long). */
export async function advanceDirectivesPdf(
  person: Pick<InsuredPerson, 'firstNames' | 'birthName' | 'usedName' | 'birthDate' | 'ins'>,
  form: AdvanceDirectivesForm,
  at: Date,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Mes directives anticipées');
  pdf.setLanguage('fr-FR');
  pdf.setCreationDate(at);
  pdf.setModificationDate(at);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const margin = 60;
  const width = 595.28 - 2 * margin;
  let page = pdf.addPage([595.28, 841.89]);
  let y = 780;
  const write = (text: string, size = 11, font = regular) => {
    for (const line of wrap(text, font, size, width)) {
      if (y < 70) {
        page = pdf.addPage([595.28, 841.89]);
        y = 780;
      }
      page.drawText(line, { x: margin, y, size, font, color: rgb(0.1, 0.1, 0.2) });
      y -= size * 1.5;
    }
  };
  const section = (title: string, body: string | undefined) => {
    if (!body) return;
    y -= 8;
    write(title, 12, bold);
    write(body);
  };
  write('Mes directives anticipées', 18, bold);
  y -= 6;
  write(
    'Article L1111-11 du code de la santé publique : toute personne majeure peut rédiger des directives ' +
      'anticipées pour le cas où elle serait un jour hors d’état d’exprimer sa volonté.',
    9,
  );
  y -= 6;
  write(`Nom et prénoms : ${displayName(person)} (${person.firstNames})`);
  write(`Né(e) le ${person.birthDate.split('-').reverse().join('/')} — matricule INS ${person.ins}`);
  section(
    'Mes volontés sur les traitements de maintien en vie (réanimation, ventilation, dialyse, alimentation artificielle)',
    form.lifeSupport,
  );
  section('Mes volontés sur le soulagement de la souffrance et la sédation', form.painRelief);
  section('Autres volontés', form.otherWishes);
  section('Ma personne de confiance', form.trustedPerson);
  y -= 12;
  write(`Fait à ${form.place}, le ${dateFr(at)}.`);
  write('Rédigé et enregistré dans Mon espace santé par la personne elle-même.', 9);
  return pdf.save();
}

export type DirectivesInput =
  { form: unknown } | { upload: { bytes: Uint8Array; contentType: string | undefined } };

/**
 * Deposits the patient's advance directives as a document EXPPAT_3 (readable by the professionals the matrix
 * allows, never a dentist), from the form or an uploaded file. A minor is refused before anything is built.
 */
export async function depositAdvanceDirectives(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  input: DirectivesInput,
): Promise<RecordDocument> {
  const now = ctx.clock.now();
  await inRecordTransaction(ctx, async (trx) => {
    const record = await loadRecordContext(trx, patientId, principal, now);
    const decision = decideDeposit(principal, record, ADVANCE_DIRECTIVES_TYPE);
    if (decision.allowed) return undefined;
    const audit = trace(principal, patientId, 'deposit', 'denied', {
      targetType: 'DocumentReference',
      detail: { type: ADVANCE_DIRECTIVES_TYPE, refusal: decision.reason },
    });
    return refuse(trx, audit, denialError(decision.reason), now);
  });
  let content: Uint8Array;
  let declaredContentType: string | undefined;
  if ('form' in input) {
    const form = checkDirectivesForm(input.form);
    const person = await findInsuredById(ctx.db, patientId);
    if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
    content = await advanceDirectivesPdf(person, form, now);
    declaredContentType = 'application/pdf';
  } else {
    content = input.upload.bytes;
    declaredContentType = input.upload.contentType;
  }
  const [doc] = await depositDocuments(ctx, principal, [
    {
      patientId,
      typeCode: ADVANCE_DIRECTIVES_TYPE,
      title: 'Directives anticipées',
      content,
      ...(declaredContentType ? { declaredContentType } : {}),
    },
  ]);
  if (!doc) throw new CarnetError('internal', 'deposit-failed', 'Le dépôt a échoué. Réessayez.');
  return doc;
}
