import { PDFDocument, StandardFonts } from 'pdf-lib';
import { displayName } from '../insured/index.ts';
import type { SynthesisInput } from './synthesis-pdf.ts';
import { accent, dateTimeFr, grey, MARGIN, winAnsi, Writer, type Fonts } from './synthesis-pdf.ts';

/** One line of the history as printed: already in the patient's words (no codes). */
export interface PrintedHistoryEntry {
  readonly at: string;
  readonly actorName: string;
  readonly actorRole: string | undefined;
  readonly actionLabel: string;
  readonly documentTitle: string | undefined;
  readonly accessModeLabel: string;
  readonly outcomeLabel: string;
  readonly reason: string | undefined;
  readonly firstAccess: boolean;
}

export interface HistoryPdfInput {
  readonly person: SynthesisInput['person'];
  readonly generatedAt: Date;
  /** The filters in force, each as « Qui : … » etc. */
  readonly filters: readonly string[];
  readonly total: number;
  readonly entries: readonly PrintedHistoryEntry[];
}

/** "06/12/2026 à 01:15" (Paris time), as the patient space shows it. */
export function frenchDateTime(iso: string): string {
  const date = new Date(iso);
  const day = date.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
  const time = date.toLocaleTimeString('fr-FR', {
    timeZone: 'Europe/Paris',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${day} à ${time}`;
}

function header(w: Writer, input: HistoryPdfInput): void {
  w.text('Mon espace santé', { size: 11, font: w.fonts.bold, color: accent, after: 2 });
  w.text('Historique des accès à mon dossier', { size: 18, font: w.fonts.bold, after: 8 });
  w.text(`${displayName(input.person)} - matricule INS ${input.person.ins}`, {
    size: 11,
    font: w.fonts.bold,
  });
  w.text(`Document établi le ${dateTimeFr(input.generatedAt)} (heure de Paris)`, { color: grey, after: 4 });
  for (const filter of input.filters) w.text(filter);
  const shown = input.entries.length;
  w.text(
    shown < input.total
      ? `${input.total} action(s) correspondent ; les ${shown} plus récentes figurent ci-dessous.`
      : `${input.total} action(s), les plus récentes d’abord.`,
    { font: w.fonts.bold, after: 8 },
  );
  w.rule();
}

function entryBlock(w: Writer, entry: PrintedHistoryEntry): void {
  w.room(70);
  w.gap(4);
  if (entry.firstAccess)
    w.text('Premier accès à votre dossier', { size: 9, font: w.fonts.bold, color: accent });
  const who = entry.actorRole ? `${entry.actorName} (${entry.actorRole})` : entry.actorName;
  w.text(`${frenchDateTime(entry.at)} - ${who}`, { font: w.fonts.bold });
  w.text(entry.documentTitle ? `${entry.actionLabel} : « ${entry.documentTitle} »` : entry.actionLabel, {
    indent: 10,
  });
  w.text(`${entry.accessModeLabel} · ${entry.outcomeLabel}`, { indent: 10, color: grey });
  if (entry.reason) w.text(`Motif indiqué : ${entry.reason}`, { indent: 10, color: grey });
}

function footers(w: Writer, input: HistoryPdfInput): void {
  const total = w.pages.length;
  w.pages.forEach((page, i) => {
    page.drawText(
      winAnsi(`Historique des accès au dossier de ${displayName(input.person)} · page ${i + 1} sur ${total}`),
      { x: MARGIN, y: 30, size: 8, font: w.fonts.regular, color: grey },
    );
  });
}

/** The access history, as filtered by the patient, as a PDF they keep. */
export async function renderHistoryPdf(input: HistoryPdfInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(winAnsi(`Historique des accès - ${displayName(input.person)}`));
  pdf.setSubject('Mon espace santé - historique des accès au dossier');
  pdf.setLanguage('fr-FR');
  pdf.setCreationDate(input.generatedAt);
  pdf.setModificationDate(input.generatedAt);
  const fonts: Fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
    italic: await pdf.embedFont(StandardFonts.HelveticaOblique),
  };
  const w = new Writer(pdf, fonts);
  header(w, input);
  if (input.entries.length === 0)
    w.text('Aucune action ne correspond à ces critères.', { font: w.fonts.italic, color: grey });
  for (const entry of input.entries) entryBlock(w, entry);
  footers(w, input);
  return pdf.save();
}
