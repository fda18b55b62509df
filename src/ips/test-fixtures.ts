import type { Ins, InsOid, PatientId } from '../identity/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { emptyIpsContent, type IpsContent, type IpsInput } from './model.ts';

/** The ANS test patient of the official examples. */
export const dominique: InsuredPerson = {
  id: '7c0e3f52-6b2c-4d7e-9a51-0f4b5e6a7c81' as PatientId,
  ins: '279035121518989' as Ins,
  insOid: '1.2.250.1.213.1.4.10' as InsOid,
  birthName: 'PAT-TROIS',
  usedName: 'NESSI',
  firstNames: 'DOMINIQUE MARIE-LOUISE',
  birthDate: '1979-03-28',
  sex: 'female',
  birthPlaceInsee: '51215',
  email: undefined,
  phone: undefined,
  vitaleSerial: undefined,
  profileState: 'activated',
  stateChangedAt: '2024-01-01T00:00:00.000Z',
  deletionRequested: false,
};

/** A summary with something in every section: coded items, text-only items, patient-reported ones. */
export const fullContent: IpsContent = {
  problems: [
    {
      text: 'Diabète de type 2',
      code: { system: 'CIM-10', code: 'E11', display: 'Diabète sucré de type 2' },
      start: '2019-05',
    },
    { text: 'Mal de dos chronique', start: '2021', reportedBy: 'patient' },
  ],
  pastIllnesses: [
    {
      text: 'Appendicite',
      code: { system: 'CIM-10', code: 'K35', display: 'Appendicite aiguë' },
      start: '1995',
      end: '1995',
    },
  ],
  procedures: [
    {
      text: 'Appendicectomie',
      code: { system: 'CCAM', code: 'HHFA016', display: 'Appendicectomie, par abord de la fosse iliaque' },
      start: '1995-06-12',
    },
    { text: 'Hospitalisation pour pneumopathie', start: '2020-02-01', reportedBy: 'patient' },
  ],
  allergies: [
    {
      text: 'Pénicilline',
      code: { system: 'ATC', code: 'J01CE', display: 'Pénicillines sensibles aux bêta-lactamases' },
      reaction: 'urticaire',
      severity: 'moderate',
      category: 'medication',
      reportedBy: 'patient',
    },
    { text: 'Arachide', category: 'food', start: '2001' },
  ],
  medications: [
    {
      text: 'Metformine 1000 mg',
      code: { system: 'ATC', code: 'A10BA02', display: 'metformine' },
      dosage: '1 comprimé matin et soir',
      start: '2019-06-01',
    },
    { text: 'Paracétamol si douleur', reportedBy: 'patient' },
  ],
  immunizations: [
    {
      text: 'Grippe saisonnière',
      atc: { code: 'J07BB', display: 'Vaccins de la grippe' },
      date: '2025-10-15',
      lot: 'AB123',
    },
    { text: 'Autre vaccin', date: '2010-04-02', reportedBy: 'patient' },
  ],
  vitalSigns: [
    {
      text: 'Poids',
      code: { system: 'LOINC', code: '29463-7', display: 'Poids' },
      value: { quantity: 82.5, unit: 'kg' },
      start: '2026-11-02',
    },
    {
      text: 'HbA1c',
      code: { system: 'LOINC', code: '4548-4', display: 'HbA1c' },
      value: { quantity: 7.1, unit: '%' },
      start: '2026-10-20',
      reportedBy: 'patient',
    },
    { text: 'Tension un peu haute' },
  ],
  socialHistory: [
    {
      text: 'Tabac',
      code: { system: 'LOINC', code: '72166-2', display: 'Statut tabagique' },
      value: { text: 'ancien fumeur' },
    },
    { text: 'Marche 30 minutes par jour', reportedBy: 'patient' },
  ],
  advanceDirectives: ['Directives anticipées rédigées le 12/03/2024, déposées dans le dossier.'],
  planOfCare: ['Bilan annuel du diabète en janvier.', 'Fond d’œil à prévoir.'],
};

export const ipsInput = (content: IpsContent = fullContent): IpsInput => ({
  documentOid: '2.25.1234567890',
  generatedAt: new Date('2026-12-05T10:00:00Z'),
  patient: dominique,
  content,
});

export const emptyInput = (): IpsInput => ipsInput(emptyIpsContent());

const textOf = <T extends { text: string }>(items: readonly T[]) => items.map((i) => ({ text: i.text }));

/** What a VSM of plain lines gives, plus codes in the less common systems (CIS product, EDQM route). */
export const textOnlyContent: IpsContent = {
  ...fullContent,
  problems: textOf(fullContent.problems),
  pastIllnesses: [{ text: 'Fracture du poignet', start: '2010' }],
  procedures: textOf(fullContent.procedures),
  allergies: [
    { text: 'Doliprane', code: { system: 'CIS', code: '60234100', display: 'DOLIPRANE 1000 mg' } },
    { text: 'Latex' },
  ],
  medications: [
    {
      text: 'Levothyrox 75',
      product: { system: 'CIS', code: '62080626', display: 'LEVOTHYROX 75 microgrammes' },
      route: { system: 'EDQM', code: '20053000', display: 'Voie orale' },
    },
    { text: 'Kinésithérapie respiratoire' },
  ],
  immunizations: fullContent.immunizations.map((i) => ({ text: i.text, date: i.date })),
  vitalSigns: [
    { text: 'Tension 13/8' },
    {
      text: 'Pression artérielle',
      code: { system: 'LOINC', code: '85354-9', display: 'PA' },
      value: { text: '130/80' },
    },
  ],
  socialHistory: [{ text: 'Sommeil', code: { system: 'LOINC', code: '93832-4', display: 'Sommeil' } }],
};
