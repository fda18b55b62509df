/**
 * The document type registry (facts.md §2): every type code Carnet knows, its French label, its class
 * (JDV_J57, which follows from the type) and who produces it. Unknown codes are refused at deposit;
 * deprecated ones stay readable but are refused for new deposits.
 */
export interface DocumentType {
  code: string;
  system: string;
  display: string;
  classCode: string;
  deprecated: boolean;
  producer: 'professional' | 'patient' | 'insurer';
  /**
   * For a professional's type, the professions (TRE_G15) that may produce it; undefined: any profession. The
   * habilitation matrix says who reads a type; this says who files one (the VSM is the médecin traitant's).
   */
  producerProfessions: readonly ProfessionCode[] | undefined;
}

import type { ProfessionCode } from '../identity/index.ts';

export const LOINC = 'http://loinc.org';
export const TRE_A05_SYSTEM = 'urn:oid:1.2.250.1.213.1.1.4.12';

/** Other spellings of the same code systems (CDA headers use bare OIDs). */
const systemAliases: Record<string, string> = {
  [LOINC]: LOINC,
  'urn:oid:2.16.840.1.113883.6.1': LOINC,
  '2.16.840.1.113883.6.1': LOINC,
  [TRE_A05_SYSTEM]: TRE_A05_SYSTEM,
  '1.2.250.1.213.1.1.4.12': TRE_A05_SYSTEM,
};

/** JDV_J57 classCode → French label. */
export const documentClasses: Record<string, string> = Object.freeze({
  '10': 'Compte rendu',
  '11': 'Synthèse',
  '31': 'Imagerie médicale',
  '42': 'Prescription',
  '43': 'Dispensation',
  '44': 'Plan de soins',
  '45': 'Traitement administré',
  '52': 'Certificat, déclaration',
  '60': 'Données de remboursement',
  '90': 'Documents déposés par le patient',
  '95': 'Document de gestion',
});

type Row = [code: string, display: string, classCode: string, producer?: DocumentType['producer']];

// Class choices where facts.md leaves room: a CR d'imagerie is a report (10; class 31 holds images); the
// vaccination history is a summary (11) and a vaccination note reports an act (10); advance directives
// and the patient's wishes are the patient's own expression (90).
const loincRows: Row[] = [
  ['60591-5', 'Volet de synthèse médicale (VSM)', '11'],
  // Screening reports: a deposited one marks its screening done in the agenda (src/agenda/prevention).
  ['24606-6', 'Mammographie de dépistage', '10'],
  ['29771-3', 'Test immunologique de dépistage du cancer colorectal', '10'],
  ['58453-2', 'Dosage immunologique de sang dans les selles', '10'],
  ['18746-8', 'Compte rendu de coloscopie', '10'],
  ['10524-7', 'Examen cytologique du col de l’utérus', '10'],
  ['21440-3', 'Test HPV du col de l’utérus', '10'],
  ['11490-0', "Lettre de liaison à la sortie d'un établissement de soins", '10'],
  ['11488-4', 'Compte rendu de consultation', '10'],
  ['11502-2', "Compte rendu d'examens biologiques", '10'],
  ['18748-4', "Compte rendu d'imagerie médicale", '10'],
  ['34874-8', 'Compte rendu opératoire', '10'],
  ['34112-3', "Compte rendu d'hospitalisation", '10'],
  ['15508-5', "Compte rendu d'accouchement", '10'],
  ['15507-7', 'Compte rendu de passage aux urgences', '10'],
  ['57833-6', 'Prescription de produits de santé', '42'],
  ['57832-8', 'Prescription de soins', '42'],
  ['60593-1', 'Dispensation de produits de santé', '43'],
  ['11369-6', 'Historique des vaccinations', '11'],
  ['87273-9', 'Note de vaccination', '10'],
  ['96874-3', 'Attestation de vaccination COVID-19', '52'],
  ['89601-9', 'Certificat médical', '52'],
  ['68599-0', 'Synthèse psychiatrique', '11'],
  ['83901-9', 'Bilan psychologique', '10'],
  ['85208-7', 'Compte rendu de télémédecine', '10'],
];

const treRows: Row[] = [
  ['SYNTH', 'Synthèse', '11'], // the type of the ANS VSM example document
  ['EXPPAT_1', 'Volontés et droits du patient', '90', 'patient'],
  ['EXPPAT_3', 'Directives anticipées', '90', 'patient'],
  ['REMB', 'Données de remboursement', '60', 'insurer'],
  ['DOCPAT01', 'Synthèse déposée par le patient', '90', 'patient'],
  ['DOCPAT02', 'Traitements et soins déposés par le patient', '90', 'patient'],
  ['DOCPAT03', 'Compte rendu déposé par le patient', '90', 'patient'],
  ['DOCPAT04', 'Imagerie médicale déposée par le patient', '90', 'patient'],
  ['DOCPAT05', 'Résultats de biologie déposés par le patient', '90', 'patient'],
  ['DOCPAT06', 'Prévention et vaccination déposées par le patient', '90', 'patient'],
];

/**
 * Types only some professions produce (documented defaults, like the matrix's: the official production rules
 * are not at hand). The VSM and its TRE_A05 synthesis are written by the médecin traitant, a psychiatric
 * synthesis by a psychiatrist, a dispensation by a pharmacist, a delivery report by an obstetrician or a midwife.
 */
const producedOnlyBy: Readonly<Record<string, readonly ProfessionCode[]>> = {
  '60591-5': ['10'],
  SYNTH: ['10'],
  '68599-0': ['10'],
  '60593-1': ['21'],
  '15508-5': ['10', '50'],
};

/** Codes withdrawn in 2017: still shown when already in a record, refused for new deposits. */
const deprecatedLoinc = ['10213-7', '11493-4', '11528-7', '24611-6', '27899-4', '29550-1', '46241-6'];

function toType(system: string, deprecated: boolean) {
  return ([code, display, classCode, producer = 'professional']: Row): DocumentType =>
    Object.freeze({
      code,
      system,
      display,
      classCode,
      deprecated,
      producer,
      producerProfessions: producedOnlyBy[code],
    });
}

export const documentTypes: readonly DocumentType[] = Object.freeze([
  ...loincRows.map(toType(LOINC, false)),
  ...treRows.map(toType(TRE_A05_SYSTEM, false)),
  ...deprecatedLoinc.map((code) =>
    toType(LOINC, true)([code, `Ancien type de document (${code}, retiré en 2017)`, '10']),
  ),
]);

const byCode = new Map(documentTypes.map((t) => [t.code, t]));

/** The canonical system URI for a known spelling, or the input unchanged. */
export function canonicalTypeSystem(system: string): string {
  return systemAliases[system] ?? system;
}

/** The type for a code (and, when given, its system in any known spelling). */
export function findDocumentType(code: string, system?: string): DocumentType | undefined {
  const type = byCode.get(code);
  if (!type) return undefined;
  return system === undefined || canonicalTypeSystem(system) === type.system ? type : undefined;
}
