import type { ProfessionCode, Rpps, SpecialtyCode } from '../identity/index.ts';
import type { Structure } from '../professionals/index.ts';

/**
 * The demo professionals: one of each profession the Assurance Maladie's brochure (docs/README.md, "Sources")
 * addresses, a hospital (whose cardiologist is also a SAMU regulator), a second GP in Dr Martin's practice, and the
 * hospital specialists and city laboratory who follow the long-term demo patient (long-term-record.ts). Their RPPS
 * numbers are fictitious but valid (Luhn key); the development identity provider signs them in.
 */
export interface DemoProfessional {
  readonly rpps: Rpps;
  readonly givenName: string;
  readonly familyName: string;
  readonly professionCode: ProfessionCode;
  readonly specialtyCode: SpecialtyCode | undefined;
  readonly mssanteAddress: string;
  readonly structure: Omit<Structure, 'id'>;
  /** Signs in as a SAMU regulator (the development provider's `Acces_Regulation_Medicale`). */
  readonly regulator?: boolean;
}

const cabinetMartin: Omit<Structure, 'id'> = {
  nationalId: '312345678900011',
  name: 'Cabinet médical des Lilas',
  kind: 'SIRET',
};
export const demoHospital: Omit<Structure, 'id'> = {
  nationalId: '1750000001',
  name: 'Centre hospitalier de démonstration',
  kind: 'FINESS',
};

export const demoProfessionals: readonly DemoProfessional[] = [
  {
    rpps: '10001000115' as Rpps,
    givenName: 'Claire',
    familyName: 'Martin',
    professionCode: '10',
    specialtyCode: 'SM26',
    mssanteAddress: 'dr.martin@cabinet.mssante.fr',
    structure: cabinetMartin,
  },
  {
    rpps: '10001000214' as Rpps,
    givenName: 'Julien',
    familyName: 'Bernard',
    professionCode: '60',
    specialtyCode: undefined,
    mssanteAddress: 'julien.bernard@infirmiers.mssante.fr',
    structure: cabinetMartin,
  },
  {
    rpps: '10001000313' as Rpps,
    givenName: 'Sophie',
    familyName: 'Petit',
    professionCode: '21',
    specialtyCode: undefined,
    mssanteAddress: 'pharmacie.petit@pharmacie.mssante.fr',
    structure: { nationalId: '312345678900029', name: 'Pharmacie du Marché', kind: 'SIRET' },
  },
  {
    rpps: '10001000412' as Rpps,
    givenName: 'Amina',
    familyName: 'Diallo',
    professionCode: '50',
    specialtyCode: undefined,
    mssanteAddress: 'amina.diallo@sagesfemmes.mssante.fr',
    structure: demoHospital,
  },
  {
    rpps: '10001000511' as Rpps,
    givenName: 'Thomas',
    familyName: 'Leroy',
    professionCode: '40',
    specialtyCode: undefined,
    mssanteAddress: 'dr.leroy@dentiste.mssante.fr',
    structure: { nationalId: '312345678900037', name: 'Cabinet dentaire Leroy', kind: 'SIRET' },
  },
  {
    rpps: '10001000610' as Rpps,
    givenName: 'Camille',
    familyName: 'Moreau',
    professionCode: '70',
    specialtyCode: undefined,
    mssanteAddress: 'camille.moreau@kine.mssante.fr',
    structure: { nationalId: '312345678900045', name: 'Cabinet de kinésithérapie Moreau', kind: 'SIRET' },
  },
  {
    rpps: '10001000719' as Rpps,
    givenName: 'Hugo',
    familyName: 'Fournier',
    professionCode: '80',
    specialtyCode: undefined,
    mssanteAddress: 'hugo.fournier@podologue.mssante.fr',
    structure: { nationalId: '312345678900052', name: 'Cabinet de podologie Fournier', kind: 'SIRET' },
  },
  {
    rpps: '10001000818' as Rpps,
    givenName: 'Nicolas',
    familyName: 'Girard',
    professionCode: '10',
    specialtyCode: 'SM04',
    mssanteAddress: 'cardiologie@chu-demo.mssante.fr',
    structure: demoHospital,
    // The hospital's doctor also takes SAMU regulation shifts (centre 15): the demo's one regulator.
    regulator: true,
  },
  {
    // The GP who takes over Dr Martin's patients when she retires (the Assurance Maladie's brochure's case "Vous
    // partez à la retraite").
    rpps: '10001000917' as Rpps,
    givenName: 'Thomas',
    familyName: 'Lefèvre',
    professionCode: '10',
    specialtyCode: 'SM26',
    mssanteAddress: 'dr.lefevre@cabinet.mssante.fr',
    structure: cabinetMartin,
  },
  // Who else follows Hélène Brunet, the long-term demo patient (long-term-record.ts): the hospital's
  // endocrinologist, radiologist and biologist, and the laboratory in town where she has her blood tests.
  {
    rpps: '10001001014' as Rpps,
    givenName: 'Isabelle',
    familyName: 'Roche',
    professionCode: '10',
    specialtyCode: 'SM15',
    mssanteAddress: 'endocrinologie@chu-demo.mssante.fr',
    structure: demoHospital,
  },
  {
    rpps: '10001001113' as Rpps,
    givenName: 'Marc',
    familyName: 'Garnier',
    professionCode: '10',
    specialtyCode: 'SM44',
    mssanteAddress: 'imagerie@chu-demo.mssante.fr',
    structure: demoHospital,
  },
  {
    rpps: '10001001212' as Rpps,
    givenName: 'Paul',
    familyName: 'Mercier',
    // A medical biologist: a doctor without a specialty of TRE_R38's short list (identity/professions.ts).
    professionCode: '10',
    specialtyCode: undefined,
    mssanteAddress: 'biologie@chu-demo.mssante.fr',
    structure: demoHospital,
  },
  {
    rpps: '10001001311' as Rpps,
    givenName: 'Anne',
    familyName: 'Dubois',
    // Most French medical biologists are pharmacists.
    professionCode: '21',
    specialtyCode: undefined,
    mssanteAddress: 'labo.lilas@biologie.mssante.fr',
    structure: {
      nationalId: '312345678900060',
      name: 'Laboratoire de biologie médicale des Lilas',
      kind: 'SIRET',
    },
  },
];
