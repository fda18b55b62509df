import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { displayName, type InsuredPerson } from '../insured/index.ts';
import {
  measurementKinds,
  profileAreaLabels,
  profileSections,
  type ProfileArea,
  type ProfileEntry,
  type ProfileSection,
} from '../medical-profile/index.ts';
import {
  entrySourceNote,
  entryText,
  frenchDate,
  measurementSeries,
  measurementValue,
  type MeasurementSeries,
} from './entry-text.ts';

/** What the printed synthesis shows: who, when, and every section of the profile (masked ones included). */
export interface SynthesisInput {
  readonly person: Pick<InsuredPerson, 'firstNames' | 'birthName' | 'usedName' | 'birthDate' | 'sex' | 'ins'>;
  readonly generatedAt: Date;
  readonly entries: readonly ProfileEntry[];
  /** Areas the patient hid from professionals: still printed (it is their own copy), with a note. */
  readonly masked: ReadonlySet<ProfileArea>;
  /** Advance directives deposited as documents (EXPPAT_3), named in the "wishes" section. */
  readonly directives?: readonly { readonly title: string; readonly depositedAt: string }[];
}

/** The number of most recent readings in each measurement's trend table. */
export const TREND_ROWS = 6;

const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
/** Letters without a decomposition to a base letter. */
const folds: Readonly<Record<string, string>> = {
  Ł: 'L',
  ł: 'l',
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  '\u2212': '-',
};

/** Standard PDF fonts speak WinAnsi: keep French text as is, fold anything else to its base letter. */
export function winAnsi(text: string): string {
  return [...text]
    .map((c) => {
      if (/[\u0020-\u007e\u00a0-\u00ff]/.test(c) || WIN_ANSI_EXTRA.includes(c)) return c;
      if (folds[c]) return folds[c];
      if (/\s/.test(c)) return ' ';
      return c.normalize('NFD').replace(/[^\u0020-\u007e]/g, '') || '?';
    })
    .join('');
}

const PAGE: [number, number] = [595.28, 841.89];
export const MARGIN = 50;
const WIDTH = PAGE[0] - 2 * MARGIN;
const BOTTOM = 60;
export const ink = rgb(0.1, 0.1, 0.2);
export const grey = rgb(0.35, 0.35, 0.42);
export const accent = rgb(0.0, 0.33, 0.6);

export interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly italic: PDFFont;
}

/** A top-to-bottom writer that wraps lines to the page width and turns pages as it goes (also history-pdf.ts). */
export class Writer {
  private page: PDFPage;
  private y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly pdf: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.page = this.newPage();
  }

  private newPage(): PDFPage {
    this.page = this.pdf.addPage(PAGE);
    this.pages.push(this.page);
    this.y = PAGE[1] - MARGIN;
    return this.page;
  }

  /** Turns the page unless `height` still fits. */
  room(height: number): void {
    if (this.y - height < BOTTOM) this.newPage();
  }

  gap(height: number): void {
    this.y -= height;
  }

  /** Wraps on spaces (and inside over-long words) to `width` points. */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    let current = '';
    const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= width;
    for (const word of winAnsi(text).split(/ +/)) {
      const candidate = current ? `${current} ${word}` : word;
      if (fits(candidate)) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      current = word;
      while (!fits(current) && current.length > 1) {
        let cut = current.length - 1;
        while (cut > 1 && !fits(current.slice(0, cut))) cut -= 1;
        lines.push(current.slice(0, cut));
        current = current.slice(cut);
      }
    }
    if (current) lines.push(current);
    return lines;
  }

  text(
    text: string,
    options: { size?: number; font?: PDFFont; color?: typeof ink; indent?: number; after?: number } = {},
  ): void {
    const size = options.size ?? 10;
    const font = options.font ?? this.fonts.regular;
    const indent = options.indent ?? 0;
    for (const line of this.wrap(text, font, size, WIDTH - indent)) {
      this.room(size * 1.45);
      this.y -= size * 1.1;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: options.color ?? ink });
      this.y -= size * 0.35;
    }
    this.y -= options.after ?? 0;
  }

  /** A row of cells at fixed x offsets (a small table), on one line. */
  row(cells: readonly string[], columns: readonly number[], options: { bold?: boolean; indent: number }) {
    const size = 9;
    this.room(size * 1.6);
    this.y -= size * 1.2;
    cells.forEach((cell, i) => {
      this.page.drawText(winAnsi(cell), {
        x: MARGIN + options.indent + columns[i]!,
        y: this.y,
        size,
        font: options.bold ? this.fonts.bold : this.fonts.regular,
        color: ink,
      });
    });
    this.y -= size * 0.4;
  }

  rule(): void {
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: MARGIN + WIDTH, y: this.y },
      thickness: 0.6,
      color: accent,
    });
    this.y -= 4;
  }
}

const sexLabel = (sex: string) => (sex === 'female' ? 'Féminin' : 'Masculin');

export const dateTimeFr = (date: Date) =>
  new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(date);

function header(w: Writer, input: SynthesisInput): void {
  const { person } = input;
  w.text('Mon espace santé', { size: 11, font: w.fonts.bold, color: accent, after: 2 });
  w.text('Synthèse de mon profil médical', { size: 18, font: w.fonts.bold, after: 8 });
  w.text(`${displayName(person)} - ${person.firstNames} ${person.birthName.toUpperCase()}`, {
    size: 11,
    font: w.fonts.bold,
  });
  if (person.usedName) w.text(`Nom de naissance : ${person.birthName}`);
  w.text(`Né(e) le ${frenchDate(person.birthDate)} · Sexe : ${sexLabel(person.sex)}`);
  w.text(`Matricule INS : ${person.ins}`);
  w.text(`Document établi le ${dateTimeFr(input.generatedAt)} (heure de Paris)`, { color: grey, after: 4 });
  w.text(
    'Ce document reprend ce que contient votre profil médical à cette date, y compris les parties que vous ' +
      'avez masquées aux professionnels de santé. Il ne remplace pas l’avis d’un médecin.',
    { size: 9, font: w.fonts.italic, color: grey, after: 10 },
  );
}

function sectionHeading(w: Writer, section: ProfileSection, masked: boolean): void {
  w.room(60);
  w.gap(6);
  w.text(profileAreaLabels[section], { size: 13, font: w.fonts.bold, color: accent, after: 1 });
  w.rule();
  if (masked)
    w.text('Masqué aux professionnels de santé (visible par vous seul et vos représentants).', {
      size: 9,
      font: w.fonts.italic,
      color: grey,
      after: 2,
    });
}

function entryBlock(w: Writer, entry: ProfileEntry): void {
  const { title, detail } = entryText(entry);
  w.text(`• ${title}`, { font: w.fonts.bold, indent: 4 });
  const source = entrySourceNote(entry);
  const more = [detail, source && `source : ${source}`].filter(Boolean).join(' · ');
  if (more) w.text(more, { indent: 14 });
  w.gap(2);
}

function measurementBlock(w: Writer, series: MeasurementSeries): void {
  const info = measurementKinds[series.kind];
  const latest = series.points[0]!;
  w.room(40 + Math.min(series.points.length, TREND_ROWS) * 14);
  w.text(`• ${info.label}`, { font: w.fonts.bold, indent: 4 });
  w.text(`Dernière valeur : ${measurementValue(latest)} le ${frenchDate(latest.at)}`, { indent: 14 });
  if (series.points.length > 1) {
    const oldest = series.points[series.points.length - 1]!;
    w.text(
      `${series.points.length} mesures du ${frenchDate(oldest.at)} au ${frenchDate(latest.at)} ; ` +
        `les ${Math.min(series.points.length, TREND_ROWS)} plus récentes :`,
      { indent: 14, color: grey },
    );
    const columns = [0, 110];
    w.row(['Date', 'Valeur'], columns, { bold: true, indent: 24 });
    for (const point of series.points.slice(0, TREND_ROWS))
      w.row([frenchDate(point.at), measurementValue(point)], columns, { indent: 24 });
  }
  w.gap(4);
}

function section(w: Writer, input: SynthesisInput, name: ProfileSection): void {
  const entries = input.entries.filter((entry) => entry.section === name);
  sectionHeading(w, name, input.masked.has(name));
  const directives = name === 'wishes' ? (input.directives ?? []) : [];
  if (entries.length === 0 && directives.length === 0) {
    w.text('Aucune information renseignée.', { font: w.fonts.italic, color: grey, indent: 4, after: 2 });
    return;
  }
  if (name === 'measurements') {
    for (const series of measurementSeries(entries)) measurementBlock(w, series);
    return;
  }
  for (const entry of entries) entryBlock(w, entry);
  for (const directive of directives) {
    w.text('• Directives anticipées', { font: w.fonts.bold, indent: 4 });
    w.text(`${directive.title} · document déposé le ${frenchDate(directive.depositedAt)}`, { indent: 14 });
  }
}

function footers(w: Writer, person: SynthesisInput['person']): void {
  const total = w.pages.length;
  w.pages.forEach((page, i) => {
    page.drawText(
      winAnsi(`Synthèse du profil médical de ${displayName(person)} · page ${i + 1} sur ${total}`),
      { x: MARGIN, y: 30, size: 8, font: w.fonts.regular, color: grey },
    );
  });
}

/** The printable synthesis of a patient's medical profile (their portability copy). */
export async function renderSynthesisPdf(input: SynthesisInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(winAnsi(`Synthèse du profil médical - ${displayName(input.person)}`));
  pdf.setSubject('Mon espace santé - profil médical');
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
  for (const name of profileSections) section(w, input, name);
  footers(w, input.person);
  return pdf.save();
}
