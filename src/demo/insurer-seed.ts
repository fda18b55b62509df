import type { AppContext } from '../app/index.ts';
import {
  aldLine,
  careLine,
  covidAttestationLine,
  importInsurerFeed,
  vaccinationLine,
  type CareCategory,
  type CareNature,
  type InsurerImportReport,
} from '../insurer/index.ts';
import type { VaccineCode } from '../medical-profile/index.ts';

const MARIE = '271096912304585'; // type 2 diabetes
const JEAN = '168047505611243';
const BERNARD = '152025935001471'; // over 65
const CHLOE = '215027511520318'; // minor, managed by her mother

const MARTIN = { name: 'Dr Claire MARTIN', rpps: '10001000115' };
const LAB = { name: 'Laboratoire de biologie médicale Biofrance', rpps: undefined };
const PHARMACY = { name: 'Pharmacie du Marché', rpps: undefined };

interface Care {
  readonly daysAgo: number;
  readonly category: CareCategory;
  readonly label: string;
  readonly who: { readonly name: string; readonly rpps: string | undefined };
  readonly euros: number;
  /** The insurer's nature of the service: a consultation counts for the doctor's indicators (src/indicators). */
  readonly nature?: CareNature;
}

/** Dates count back from today, so that the demo always shows the last two years. */
const dayOf = (now: Date, daysAgo: number) =>
  new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);

/**
 * How many days ago the flu shot of a season was given: late October, at the start of the campaign, of the
 * latest season begun (`seasonsBack` seasons earlier), so that the demo never shows a flu shot in summer.
 */
function fluShotDaysAgo(now: Date, seasonsBack: number): number {
  const thisYear = now.getUTCFullYear();
  const begun = now.getTime() >= Date.UTC(thisYear, 9, 28, 12);
  const shot = Date.UTC(thisYear - (begun ? 0 : 1) - seasonsBack, 9, 28, 12);
  return Math.max(0, Math.floor((now.getTime() - shot) / 86_400_000));
}

/** A diabetic's two years: quarterly GP visits and HbA1c, monthly treatment, yearly eye, foot and dental checks. */
function diabeticCare(now: Date): Care[] {
  const care: Care[] = [];
  for (let quarter = 0; quarter < 8; quarter++) {
    const d = 20 + quarter * 91;
    care.push(
      {
        daysAgo: d,
        category: 'maladie',
        label: 'Consultation de médecine générale (suivi du diabète)',
        who: MARTIN,
        euros: 18.2,
        nature: 'consultation',
      },
      {
        daysAgo: d + 3,
        category: 'biologie',
        label: 'Hémoglobine glyquée (HbA1c), glycémie à jeun',
        who: LAB,
        euros: 9.45,
      },
    );
  }
  for (let month = 0; month < 24; month++) {
    care.push({
      daysAgo: 12 + month * 30,
      category: 'medicament',
      label: 'Metformine 1000 mg, bandelettes et lancettes',
      who: PHARMACY,
      euros: 31.6,
    });
  }
  for (const year of [0, 1]) {
    const d = 60 + year * 365;
    care.push(
      {
        daysAgo: d,
        category: 'maladie',
        label: 'Rétinographie (dépistage de la rétinopathie diabétique)',
        who: { name: 'Dr Hélène NGUYEN, ophtalmologiste', rpps: undefined },
        euros: 33.3,
        nature: 'acte',
      },
      {
        daysAgo: d + 20,
        category: 'maladie',
        label: 'Soins de pédicurie-podologie (pied diabétique)',
        who: { name: 'M. Paul ROCHE, pédicure-podologue', rpps: undefined },
        euros: 27,
        nature: 'acte',
      },
      {
        daysAgo: d + 40,
        category: 'dentaire',
        label: 'Examen bucco-dentaire et détartrage',
        who: { name: 'Dr Sophie LEROY, chirurgien-dentiste', rpps: undefined },
        euros: 46.27,
      },
      {
        daysAgo: d + 45,
        category: 'biologie',
        label: 'Bilan lipidique, créatininémie, microalbuminurie',
        who: LAB,
        euros: 21.6,
      },
      {
        daysAgo: fluShotDaysAgo(now, year),
        category: 'vaccin',
        label: 'Vaccin contre la grippe saisonnière',
        who: PHARMACY,
        euros: 8.9,
      },
      {
        daysAgo: d + 90,
        category: 'radiologie',
        label: 'Échographie-doppler des artères des membres inférieurs',
        who: { name: 'Centre d’imagerie Bellecour', rpps: undefined },
        euros: 52.14,
      },
    );
  }
  care.push({
    daysAgo: 200,
    category: 'appareillage',
    label: 'Lecteur de glycémie',
    who: PHARMACY,
    euros: 45,
  });
  return care;
}

const adultCare: Care[] = [
  {
    daysAgo: 45,
    category: 'maladie',
    label: 'Consultation de médecine générale',
    who: MARTIN,
    euros: 18.2,
    nature: 'consultation',
  },
  { daysAgo: 47, category: 'medicament', label: 'Amoxicilline 1 g', who: PHARMACY, euros: 4.1 },
  {
    daysAgo: 160,
    category: 'radiologie',
    label: 'Radiographie du genou droit',
    who: { name: 'Centre d’imagerie Bellecour', rpps: undefined },
    euros: 19.95,
  },
  {
    daysAgo: 170,
    category: 'maladie',
    label: 'Séances de kinésithérapie (10)',
    who: { name: 'M. Luc MOREAU, masseur-kinésithérapeute', rpps: undefined },
    euros: 112,
    nature: 'acte',
  },
  {
    daysAgo: 400,
    category: 'hopital',
    label: 'Hospitalisation ambulatoire (arthroscopie)',
    who: { name: 'Hôpital Édouard-Herriot', rpps: undefined },
    euros: 890,
  },
  {
    daysAgo: 520,
    category: 'dentaire',
    label: 'Soin d’une carie (2 faces)',
    who: { name: 'Dr Sophie LEROY, chirurgien-dentiste', rpps: undefined },
    euros: 33.74,
  },
];

const childCare: Care[] = [
  {
    daysAgo: 30,
    category: 'maladie',
    label: 'Consultation de pédiatrie',
    who: { name: 'Dr Anne PETIT, pédiatre', rpps: undefined },
    euros: 21,
    nature: 'consultation',
  },
  { daysAgo: 31, category: 'medicament', label: 'Paracétamol suspension buvable', who: PHARMACY, euros: 1.6 },
  {
    daysAgo: 300,
    category: 'maladie',
    label: 'Examen de santé obligatoire',
    who: MARTIN,
    euros: 21,
    nature: 'consultation',
  },
  {
    daysAgo: 420,
    category: 'dentaire',
    label: 'Examen bucco-dentaire (M’T dents)',
    who: { name: 'Dr Sophie LEROY, chirurgien-dentiste', rpps: undefined },
    euros: 30,
  },
];

interface Vaccination {
  readonly daysAgo: number;
  readonly code: VaccineCode;
  readonly label: string;
  readonly lot: string;
}

function feedOf(now: Date): string {
  const lines: string[] = ['# Mon espace santé — données de démonstration de l’Assurance Maladie'];
  const care = (ins: string, items: readonly Care[]) =>
    items.forEach((c, k) =>
      lines.push(
        careLine({
          lineId: `DEMO-${ins}-S${k}`,
          ins,
          date: dayOf(now, c.daysAgo),
          category: c.category,
          label: c.label,
          professional: c.who.name,
          rpps: c.who.rpps,
          amountCents: Math.round(c.euros * 100),
          nature: c.nature,
        }),
      ),
    );
  const vaccinations = (ins: string, items: readonly Vaccination[]) =>
    items.forEach((v, k) =>
      lines.push(
        vaccinationLine({
          lineId: `DEMO-${ins}-V${k}`,
          ins,
          date: dayOf(now, v.daysAgo),
          vaccineCode: v.code,
          label: v.label,
          lot: v.lot,
        }),
      ),
    );
  care(MARIE, diabeticCare(now));
  vaccinations(MARIE, [
    { daysAgo: fluShotDaysAgo(now, 0), code: 'grippe', label: 'Vaxigrip Tetra', lot: 'VX2511' },
    { daysAgo: fluShotDaysAgo(now, 1), code: 'grippe', label: 'Influvac Tetra', lot: 'IF2410' },
    { daysAgo: 700, code: 'pneumocoque', label: 'Prevenar 20', lot: 'PN2307' },
  ]);
  lines.push(
    covidAttestationLine({
      lineId: `DEMO-${MARIE}-C0`,
      ins: MARIE,
      date: dayOf(now, 720),
      vaccine: 'Comirnaty (Pfizer-BioNTech)',
      doses: '3/3',
      lot: 'FK5618',
    }),
  );
  care(JEAN, adultCare);
  vaccinations(JEAN, [{ daysAgo: 600, code: 'dtcap-vpi', label: 'Repevax (rappel dTcaP)', lot: 'RP2301' }]);
  care(BERNARD, [
    ...adultCare.slice(0, 3),
    // The visit Dr Martin writes his VSM after (src/demo/vsm-seed.ts, on the day of seeding).
    {
      daysAgo: 2,
      category: 'maladie',
      label: 'Visite à domicile de médecine générale',
      who: MARTIN,
      euros: 25,
      nature: 'visite',
    },
  ]);
  // Long-term illnesses the insurer recognises: Marie's and Bernard's type 2 diabetes (ALD 8).
  lines.push(
    aldLine({ lineId: `DEMO-${MARIE}-A0`, ins: MARIE, date: dayOf(now, 2400), endDate: undefined }),
    aldLine({ lineId: `DEMO-${BERNARD}-A0`, ins: BERNARD, date: dayOf(now, 1900), endDate: undefined }),
  );
  vaccinations(BERNARD, [
    { daysAgo: fluShotDaysAgo(now, 0), code: 'grippe', label: 'Efluelda', lot: 'EF2509' },
    { daysAgo: 110, code: 'covid-19', label: 'Comirnaty JN.1', lot: 'CJ2509' },
    { daysAgo: 380, code: 'zona', label: 'Shingrix', lot: 'SX2410' },
  ]);
  care(CHLOE, childCare);
  vaccinations(CHLOE, [
    { daysAgo: 3100, code: 'ror', label: 'M-M-RvaxPro', lot: 'MM1604' },
    { daysAgo: 3000, code: 'meningocoque-c', label: 'Neisvac', lot: 'NS1605' },
  ]);
  return `${lines.join('\n')}\n`;
}

/**
 * "Mon histoire de santé" of a few demo patients (Marie Morel's diabetes follow-up over two years, Jean Dupont,
 * Bernard Lambert, Chloé), with vaccinations and a COVID-19 attestation, through the real import. Idempotent.
 */
export async function seedDemoInsurerFeed(ctx: AppContext): Promise<InsurerImportReport> {
  const text = feedOf(ctx.clock.now());
  const report = await importInsurerFeed(
    ctx,
    { bytes: Buffer.from(text, 'utf8') },
    'demo-assurance-maladie.txt',
  );
  if (report.rejected.length > 0) {
    throw new Error(`demo insurer feed rejected by the importer: ${JSON.stringify(report.rejected)}`);
  }
  return report;
}
