import { createHash } from 'node:crypto';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { displayName, type InsuredPerson } from '../../insured/index.ts';
import type { CovidAttestationRecord } from './format.ts';

/** Standard PDF fonts speak WinAnsi: keep French accents, fold anything else to its base letter. */
function winAnsi(text: string): string {
  return [...text]
    .map((c) =>
      /[\u0020-\u007e\u00a0-\u00ff’«»œŒ€]/.test(c)
        ? c
        : c.normalize('NFD').replace(/[^\u0020-\u007e]/g, '') || '?',
    )
    .join('');
}

const frenchDate = (iso: string) => iso.split('-').reverse().join('/');

/**
 * The document's unique id, derived from the insurer's line id: importing the same line again yields the same
 * masterIdentifier, which the record refuses as a duplicate.
 */
export function attestationMasterIdentifier(lineId: string): string {
  const hex = createHash('sha256')
    .update(`carnet:assurance-maladie:attestation-covid:${lineId}`)
    .digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The COVID-19 vaccination certificate (LOINC 96874-3) the Assurance Maladie issues, as a one-page PDF. */
export async function covidAttestationPdf(
  person: Pick<InsuredPerson, 'firstNames' | 'birthName' | 'usedName' | 'ins' | 'birthDate'>,
  record: CovidAttestationRecord,
  issuedAt: Date,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Attestation de vaccination COVID-19 - Assurance Maladie');
  pdf.setCreationDate(issuedAt);
  pdf.setModificationDate(issuedAt);
  const page = pdf.addPage([595.28, 841.89]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = 770;
  const line = (text: string, size = 11, font = regular) => {
    page.drawText(winAnsi(text), { x: 60, y, size, font, color: rgb(0.1, 0.1, 0.2), maxWidth: 475 });
    y -= size * 1.9;
  };
  line('Assurance Maladie', 14, bold);
  y -= 10;
  line('Attestation de vaccination COVID-19', 16, bold);
  y -= 10;
  line(`Nom et prénoms : ${displayName(person)} (${person.firstNames})`);
  line(`Date de naissance : ${frenchDate(person.birthDate)}`);
  line(`Matricule INS : ${person.ins}`);
  y -= 6;
  line(`Vaccin : ${record.vaccine}`);
  if (record.doses) line(`Doses reçues : ${record.doses}`);
  line(`Date de la dernière injection : ${frenchDate(record.date)}`);
  if (record.lot) line(`Numéro de lot : ${record.lot}`);
  y -= 10;
  line(`Référence : ${record.lineId}`, 9);
  line('Document émis par l’Assurance Maladie et versé dans Mon espace santé.', 9);
  return pdf.save();
}
