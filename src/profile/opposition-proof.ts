import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { displayName, type InsuredPerson } from '../insured/index.ts';

/** Standard PDF fonts speak WinAnsi: keep French accents, fold anything else to its base letter. */
const folds: Readonly<Record<string, string>> = { Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd' };

function winAnsi(text: string): string {
  return [...text]
    .map((c) => folds[c] ?? c)
    .map((c) =>
      /[\u0020-\u007e\u00a0-\u00ff’«»œŒ€]/.test(c)
        ? c
        : c.normalize('NFD').replace(/[^\u0020-\u007e]/g, '') || '?',
    )
    .join('');
}

const dateTimeFr = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: 'Europe/Paris',
  }).format(new Date(iso));

/**
 * The proof a person keeps that they opposed to the creation of their profile (docs/features.md, "Profile
 * lifecycle").
 */
export async function oppositionProofPdf(
  person: Pick<InsuredPerson, 'firstNames' | 'birthName' | 'usedName' | 'ins' | 'birthDate'>,
  opposedAt: string,
  reference: string,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Attestation d’opposition - Mon espace santé');
  pdf.setCreationDate(new Date(opposedAt));
  pdf.setModificationDate(new Date(opposedAt));
  const page = pdf.addPage([595.28, 841.89]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = 770;
  const line = (text: string, size = 11, font = regular) => {
    page.drawText(winAnsi(text), { x: 60, y, size, font, color: rgb(0.1, 0.1, 0.2), maxWidth: 475 });
    y -= size * 1.9;
  };
  line('Mon espace santé', 14, bold);
  y -= 10;
  line('Attestation d’opposition à la création du profil Mon espace santé', 15, bold);
  y -= 10;
  line(`Nom et prénoms : ${displayName(person)} (${person.firstNames})`);
  line(`Nom de naissance : ${person.birthName}`);
  line(`Date de naissance : ${person.birthDate.split('-').reverse().join('/')}`);
  line(`Matricule INS : ${person.ins}`);
  line(`Date et heure de l’opposition : ${dateTimeFr(opposedAt)} (heure de Paris)`);
  line(`Référence : ${reference}`);
  y -= 10;
  line('La personne ci-dessus s’est opposée à la création de son profil Mon espace santé.', 10);
  line('Aucun profil ne sera créé : seules son identité et la présente opposition sont conservées.', 10);
  return pdf.save();
}
