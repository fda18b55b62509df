import { displayName, type InsuredPerson } from '../insured/index.ts';
import type { RecordDocument } from '../record/index.ts';
import { frenchDate } from './entry-text.ts';

export interface ExportedDocument {
  readonly doc: RecordDocument;
  /** Path inside the zip: documents/<id>.<ext>. */
  readonly path: string;
}

export interface ReadmeInput {
  readonly person: Pick<InsuredPerson, 'firstNames' | 'birthName' | 'usedName' | 'ins'>;
  readonly generatedAt: Date;
  readonly profileEntries: number;
  /** Reimbursed care lines of "Mon histoire de santé". */
  readonly careItems: number;
  readonly documents: readonly ExportedDocument[];
  /** Documents listed at the start but no longer readable when their turn came (deleted or hidden meanwhile). */
  readonly skipped: number;
}

const statusNotes: Readonly<Record<string, string>> = {
  superseded: ' (ancienne version, remplacée)',
  archived: ' (archivé)',
};

const dateTimeFr = (date: Date) =>
  new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(date);

/** README.txt of the record export: what each file is, in French, for the patient and for the next software. */
export function readmeText(input: ReadmeInput): string {
  const lines = [
    'MON ESPACE SANTÉ - EXPORT DE MON DOSSIER MÉDICAL',
    '================================================',
    '',
    `Patient : ${displayName(input.person)} (${input.person.firstNames} ${input.person.birthName.toUpperCase()})`,
    `Matricule INS : ${input.person.ins}`,
    `Export réalisé le ${dateTimeFr(input.generatedAt)} (heure de Paris).`,
    '',
    'Cette archive est la copie de votre dossier médical que vous avez demandée au titre du droit à la',
    'portabilité de vos données (article 20 du RGPD). Elle vous appartient : conservez-la en lieu sûr, car',
    'elle contient des données de santé. Vous pouvez la transmettre à un autre service ou à un professionnel.',
    '',
    'CONTENU',
    '-------',
    '',
    'bundle.json',
    '  Tout votre dossier au format international FHIR R4 (un « Bundle » de type « collection ») :',
    '  - votre identité (Patient) ;',
    `  - votre profil médical (${input.profileEntries} information(s)) : traitements (MedicationStatement),`,
    '    allergies (AllergyIntolerance), maladies et handicaps (Condition), hospitalisations (Encounter),',
    '    antécédents familiaux (FamilyMemberHistory), vaccinations (Immunization), mesures et habitudes de',
    '    vie, groupe sanguin, don d’organes (Observation), contacts (RelatedPerson) ;',
    `  - votre histoire de santé : ${input.careItems} soin(s) remboursé(s) par l’Assurance Maladie`,
    '    (ExplanationOfBenefit) ;',
    `  - la fiche de chacun des ${input.documents.length} document(s) ci-dessous (DocumentReference), dont le`,
    '    champ content.attachment.url indique le fichier correspondant dans le dossier « documents ».',
    '  Les parties que vous avez masquées aux professionnels de santé y figurent aussi.',
    '',
    'documents/',
    '  Les documents de votre dossier, tels qu’ils ont été déposés (PDF, CDA XML, images, texte), nommés',
    '  par leur identifiant. Un document CDA (fichier .xml) peut aussi être lu dans votre espace en ligne.',
    '',
    'README.txt',
    '  Ce fichier.',
    '',
    'LISTE DES DOCUMENTS',
    '-------------------',
    '',
    ...(input.documents.length === 0
      ? ['Aucun document.']
      : input.documents.map(
          ({ doc, path }) =>
            `${path} : ${doc.title} - ${doc.typeDisplay}, déposé le ${frenchDate(doc.depositedAt)}` +
            (statusNotes[doc.status] ?? ''),
        )),
    '',
    ...(input.skipped > 0
      ? [
          `${input.skipped} document(s) supprimé(s) ou rendu(s) non visible(s) pendant la préparation de l’export`,
          'n’y figurent pas.',
          '',
        ]
      : []),
    'Ne figurent pas dans cette archive les documents qu’un professionnel a rendus invisibles pour vous,',
    'par exemple en attendant de vous en annoncer le contenu lors d’une consultation.',
    '',
  ];
  // Windows' Notepad and most readers expect CRLF in a .txt handed around by e-mail or USB key.
  return lines.join('\r\n');
}
