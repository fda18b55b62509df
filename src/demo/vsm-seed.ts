import type { AppContext } from '../app/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { declareConsent } from '../record/index.ts';
import { emptyVsmContent, writeVsm, type VsmContent, vsmTypeCodes } from '../vsm/index.ts';
import { demoIns, demoProfessional } from './principals.ts';

/** Dr Claire Martin, the demo's GP (src/demo/professionals.ts). */
const DEMO_GP_RPPS = '10001000115';
const oral = { system: 'EDQM', code: '20053000', display: 'Voie orale' } as const;

/**
 * Bernard Lambert's synthesis as his GP writes it: a diabetic and hypertensive man over 65, coded (CIM-10 problems,
 * CCAM act, ATC treatments with their EDQM route, allergies, family history, LOINC/UCUM constants), with the GP's
 * own project. (Marie Morel's VSM is the one the demo journey has Dr Martin write from her profile.)
 */
const bernardLambert: VsmContent = {
  ...emptyVsmContent(),
  activeProblems: {
    items: [
      {
        text: 'Diabète de type 2',
        code: { system: 'CIM-10', code: 'E11.9', display: 'Diabète sucré de type 2, sans complication' },
        start: '2020',
      },
      {
        text: 'Hypertension artérielle',
        code: { system: 'CIM-10', code: 'I10', display: 'Hypertension essentielle (primitive)' },
        start: '2023',
      },
    ],
    note: '',
  },
  personalHistory: {
    items: [
      {
        text: 'Appendicite aiguë',
        code: { system: 'CIM-10', code: 'K35.8', display: 'Appendicite aiguë, autre et sans précision' },
        start: '1989-05-02',
        end: '1989-05-10',
      },
    ],
    note: '',
  },
  medicalHistory: {
    items: [
      {
        text: 'Appendicectomie',
        code: { system: 'CCAM', code: 'HHFA016', display: 'Appendicectomie, par abord de la fosse iliaque' },
        start: '1989-05-02',
      },
    ],
    note: '',
  },
  allergies: {
    items: [
      {
        text: 'Pénicilline',
        code: { system: 'ATC', code: 'J01CE01', display: 'benzylpénicilline' },
        reaction: 'Urticaire',
        severity: 'moderate',
      },
      {
        text: 'Pollens de graminées',
        code: { system: 'SNOMED CT', code: '418689008', display: 'allergie aux pollens de graminées' },
        reaction: 'Rhinite',
        severity: 'mild',
      },
    ],
    note: '',
  },
  riskFactors: {
    items: [
      {
        text: 'Tabac : ancien fumeur (arrêt il y a 10 ans)',
        code: { system: 'LOINC', code: '72166-2', display: 'Statut tabagique' },
        value: { text: 'Ancien fumeur' },
      },
      {
        text: 'Activité physique : marche 30 minutes par jour',
        code: { system: 'LOINC', code: '73985-4', display: 'Exercice physique' },
        value: { text: 'Marche 30 minutes par jour' },
      },
    ],
    note: '',
  },
  familyHistory: {
    items: [
      {
        text: 'Père : diabète de type 2 à 55 ans',
        code: { system: 'CIM-10', code: 'E11.9', display: 'Diabète sucré de type 2, sans complication' },
        relative: 'father',
      },
      {
        text: 'Mère : infarctus du myocarde à 68 ans',
        code: { system: 'CIM-10', code: 'I21.9', display: 'Infarctus aigu du myocarde, sans précision' },
        relative: 'mother',
      },
    ],
    note: '',
  },
  vitalSigns: {
    items: [
      {
        text: 'Poids : 81,8 kg',
        code: { system: 'LOINC', code: '29463-7', display: 'Poids' },
        value: { quantity: 81.8, unit: 'kg' },
        start: '2026-02-27',
      },
      {
        text: 'Taille : 172 cm',
        code: { system: 'LOINC', code: '8302-2', display: 'Taille' },
        value: { quantity: 172, unit: 'cm' },
        start: '2024-04-05',
      },
      {
        text: 'Pression artérielle systolique : 131 mmHg',
        code: { system: 'LOINC', code: '8480-6', display: 'Pression artérielle systolique' },
        value: { quantity: 131, unit: 'mm[Hg]' },
        start: '2026-02-10',
      },
      {
        text: 'Pression artérielle diastolique : 82 mmHg',
        code: { system: 'LOINC', code: '8462-4', display: 'Pression artérielle diastolique' },
        value: { quantity: 82, unit: 'mm[Hg]' },
        start: '2026-02-10',
      },
      {
        text: 'HbA1c : 6,7 %',
        code: { system: 'LOINC', code: '4548-4', display: 'Hémoglobine A1c' },
        value: { quantity: 6.7, unit: '%' },
        start: '2026-02-25',
      },
    ],
    note: '',
  },
  vigilance: { items: [{ text: 'Groupe sanguin : A Rh+' }], note: '' },
  treatments: {
    items: [
      {
        text: 'Metformine 1000 mg',
        code: { system: 'ATC', code: 'A10BA02', display: 'metformine' },
        route: oral,
        dosage: '1 comprimé matin et soir',
        start: '2020',
      },
      {
        text: 'Sitagliptine 100 mg',
        code: { system: 'ATC', code: 'A10BH01', display: 'sitagliptine' },
        route: oral,
        dosage: '1 comprimé le matin',
        start: '2025-01',
      },
      {
        text: 'Ramipril 5 mg',
        code: { system: 'ATC', code: 'C09AA05', display: 'ramipril' },
        route: oral,
        dosage: '1 comprimé le matin',
        start: '2023',
      },
    ],
    note: '',
  },
  therapeuticProject: {
    items: [
      { text: 'HbA1c tous les 3 mois, objectif inférieur à 7 %' },
      { text: 'Fond d’œil et bilan podologique annuels' },
    ],
    note: 'Réévaluer le traitement antihypertenseur si la pression reste au-dessus de 130/80 mmHg.',
  },
};

/** Jean Dupont: a smoker with COPD; no known allergy is said as such (an empty section). */
const jeanDupont: VsmContent = {
  ...emptyVsmContent(),
  activeProblems: {
    items: [
      {
        text: 'BPCO',
        code: {
          system: 'CIM-10',
          code: 'J44.9',
          display: 'Maladie pulmonaire obstructive chronique, sans précision',
        },
        start: '2019',
      },
      {
        text: 'Dyslipidémie',
        code: { system: 'CIM-10', code: 'E78.5', display: 'Hyperlipidémie, sans précision' },
        start: '2016',
      },
    ],
    note: '',
  },
  personalHistory: {
    items: [
      {
        text: 'Lithiase vésiculaire',
        code: {
          system: 'CIM-10',
          code: 'K80.2',
          display: 'Calcul de la vésicule biliaire sans cholécystite',
        },
        start: '2012-01',
        end: '2012-03-14',
      },
    ],
    note: '',
  },
  medicalHistory: {
    items: [
      {
        text: 'Cholécystectomie sous cœlioscopie',
        code: { system: 'CCAM', code: 'HMFC004', display: 'Cholécystectomie, par cœlioscopie' },
        start: '2012-03-14',
      },
    ],
    note: '',
  },
  riskFactors: {
    items: [
      {
        text: 'Tabac : 30 paquets-années, fumeur actif',
        code: { system: 'LOINC', code: '74011-8', display: 'Consommation tabagique' },
        value: { quantity: 30, unit: '{pack}/a' },
      },
      {
        text: 'Alcool : occasionnel',
        code: { system: 'LOINC', code: '74013-4', display: 'Consommation d’alcool' },
        value: { text: 'Occasionnel' },
      },
    ],
    note: '',
  },
  occupationalRisks: { items: [{ text: 'Ancien soudeur : exposition aux fumées de soudage' }], note: '' },
  familyHistory: {
    items: [
      {
        text: 'Père : cancer du poumon',
        code: {
          system: 'CIM-10',
          code: 'C34.9',
          display: 'Tumeur maligne des bronches ou du poumon, sans précision',
        },
        relative: 'father',
      },
    ],
    note: '',
  },
  vitalSigns: {
    items: [
      {
        text: 'Poids : 92 kg',
        code: { system: 'LOINC', code: '29463-7', display: 'Poids' },
        value: { quantity: 92, unit: 'kg' },
        start: '2026-01-20',
      },
      {
        text: 'IMC : 29,4 kg/m²',
        code: { system: 'LOINC', code: '39156-5', display: 'Indice de masse corporelle' },
        value: { quantity: 29.4, unit: 'kg/m2' },
        start: '2026-01-20',
      },
    ],
    note: '',
  },
  vigilance: {
    items: [{ text: 'Vaccination antigrippale et antipneumococcique à jour à vérifier' }],
    note: '',
  },
  treatments: {
    items: [
      {
        text: 'Tiotropium 2,5 µg',
        code: { system: 'ATC', code: 'R03BB04', display: 'tiotropium' },
        route: { system: 'EDQM', code: '20020000', display: 'Voie inhalée' },
        dosage: '2 inhalations le matin',
        start: '2019',
      },
      {
        text: 'Atorvastatine 20 mg',
        code: { system: 'ATC', code: 'C10AA05', display: 'atorvastatine' },
        route: oral,
        dosage: '1 comprimé le soir',
        start: '2016',
      },
    ],
    note: '',
  },
  therapeuticProject: {
    items: [{ text: 'Sevrage tabagique : consultation de tabacologie' }, { text: 'EFR annuelle' }],
    note: '',
  },
};

/** The demo patients whose GP has written their VSM. */
export const demoVsms: readonly { readonly ins: string; readonly content: VsmContent }[] = [
  { ins: '152025935001471', content: bernardLambert },
  { ins: demoIns.jean, content: jeanDupont },
];

/**
 * Each demo VSM, written by Dr Martin through the service (CDA generated, deposited in the record). She is these
 * patients' GP and reads their records with their consent, declared here as in real life: a deposit alone would
 * give her only what she deposited. Run after `seedDemo`; a patient who already has a VSM gets none. Returns how
 * many were written.
 */
export async function seedDemoVsms(ctx: AppContext): Promise<number> {
  const gp = await demoProfessional(ctx, DEMO_GP_RPPS);
  let written = 0;
  for (const { ins, content } of demoVsms) {
    const person = await findInsuredByIns(ctx.db, ins as Ins);
    if (!person) continue;
    const existing = await ctx.db
      .selectFrom('documents')
      .select('id')
      .where('patient_id', '=', person.id)
      .where('type_code', 'in', [...vsmTypeCodes])
      .limit(1)
      .executeTakeFirst();
    if (existing) continue;
    await declareConsent(ctx, gp, person.id);
    await writeVsm(ctx, gp, person.id, { sections: content });
    written++;
  }
  return written;
}
