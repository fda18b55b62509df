import type { PatientPrincipal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { addProfileEntry, type ProfileSection } from '../medical-profile/index.ts';

/** Marie MOREL, the demo's type 2 diabetic patient (src/demo/patients.ts). */
export const DIABETIC_DEMO_INS = '271096912304585';

const day = (now: Date, daysAgo: number) =>
  new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const instant = (now: Date, daysAgo: number) =>
  new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 8, 30) - daysAgo * 86_400_000,
  ).toISOString();

/**
 * The diabetic demo patient's profile as she would have typed it, picking her treatments, diseases and allergies
 * from the lists where they are (the appendectomy stays free text): two years of HbA1c every quarter (improving
 * after a treatment change), weight, treatments, an allergy, vaccinations, family history, contacts. Entries are
 * added through the service as the patient (validated, sealed, traced). Running it again changes nothing.
 */
export async function seedDemoProfiles(ctx: AppContext): Promise<{ entries: number }> {
  const person = await findInsuredByIns(ctx.db, DIABETIC_DEMO_INS as Ins);
  if (!person || person.profileState !== 'activated') return { entries: 0 };
  const existing = await ctx.db
    .selectFrom('profile_entries')
    .select('id')
    .where('patient_id', '=', person.id)
    .limit(1)
    .executeTakeFirst();
  if (existing) return { entries: 0 };
  const principal: PatientPrincipal = {
    kind: 'patient',
    patientId: person.id,
    ins: person.ins,
    actsFor: [person.id],
  };
  const now = ctx.clock.now();
  const items: [ProfileSection, Record<string, unknown>][] = [];
  // Quarterly HbA1c over two years: high at diagnosis follow-up, back under 7 % after the treatment change.
  const hba1c = [8.4, 8.1, 7.9, 7.6, 7.2, 7.0, 6.9, 6.8, 6.7];
  hba1c.forEach((value, i) =>
    items.push(['measurements', { kind: 'hba1c', value, at: instant(now, (hba1c.length - 1 - i) * 91 + 5) }]),
  );
  const weights = [88.5, 87.9, 86.2, 85.0, 84.1, 83.6, 82.9, 82.4, 81.8];
  weights.forEach((value, i) =>
    items.push([
      'measurements',
      { kind: 'weight', value, at: instant(now, (weights.length - 1 - i) * 91 + 3) },
    ]),
  );
  items.push(
    ['measurements', { kind: 'height', value: 165, at: instant(now, 700) }],
    ['measurements', { kind: 'blood-pressure', value: 138, value2: 86, at: instant(now, 180) }],
    ['measurements', { kind: 'blood-pressure', value: 131, value2: 82, at: instant(now, 20) }],
    ['measurements', { kind: 'glucose', value: 1.32, at: instant(now, 10) }],
    [
      'conditions',
      {
        label: 'Diabète de type 2',
        cim10: { code: 'E11', display: 'Diabète de type 2' },
        since: day(now, 6 * 365),
      },
    ],
    [
      'conditions',
      {
        label: 'Hypertension artérielle essentielle',
        cim10: { code: 'I10', display: 'Hypertension artérielle essentielle' },
        since: day(now, 3 * 365),
      },
    ],
    ['conditions', { label: 'Appendicectomie', since: '1989-05-02', resolvedOn: '1989-05-10' }],
    [
      'treatments',
      {
        medication: 'Metformine 1000 mg',
        atc: { code: 'A10BA02', display: 'Metformine' },
        dosage: '1 comprimé matin et soir',
        reason: 'Diabète',
        startDate: day(now, 6 * 365),
      },
    ],
    [
      'treatments',
      {
        medication: 'Sitagliptine 100 mg',
        atc: { code: 'A10BH01', display: 'Sitagliptine' },
        dosage: '1 comprimé le matin',
        reason: 'Diabète',
        startDate: day(now, 400),
      },
    ],
    [
      'treatments',
      {
        medication: 'Ramipril 5 mg',
        atc: { code: 'C09AA05', display: 'Ramipril' },
        dosage: '1 comprimé le matin',
        reason: 'Tension',
        startDate: day(now, 3 * 365),
      },
    ],
    [
      'allergies',
      {
        substance: 'Pénicilline',
        code: { system: 'ATC', code: 'J01C', display: 'Pénicilline' },
        category: 'medication',
        reaction: 'Urticaire',
        severity: 'moderate',
      },
    ],
    [
      'allergies',
      {
        substance: 'Pollens de graminées',
        code: { system: 'SNOMED CT', code: '256277009', display: 'Pollens de graminées' },
        category: 'environment',
        reaction: 'Rhinite',
      },
    ],
    ['vaccinations', { vaccineCode: 'grippe', date: day(now, 60), doseLabel: 'Rappel annuel' }],
    ['vaccinations', { vaccineCode: 'covid-19', date: day(now, 420), lot: 'FK4921' }],
    ['vaccinations', { vaccineCode: 'dtp', date: day(now, 5 * 365), doseLabel: 'Rappel 45 ans' }],
    ['vaccinations', { vaccineCode: 'pneumocoque', date: day(now, 2 * 365) }],
    [
      'family-history',
      {
        relation: 'father',
        condition: 'Diabète de type 2',
        cim10: { code: 'E11', display: 'Diabète de type 2' },
        ageAtOnset: 55,
      },
    ],
    [
      'family-history',
      {
        relation: 'mother',
        condition: 'Infarctus du myocarde',
        cim10: { code: 'I21', display: 'Infarctus du myocarde' },
        ageAtOnset: 68,
      },
    ],
    ['lifestyle', { topic: 'tobacco', description: 'Non-fumeuse (arrêt il y a 10 ans)' }],
    ['lifestyle', { topic: 'physical-activity', description: 'Marche 30 minutes par jour' }],
    ['contacts', { role: 'emergency', name: 'Paul MOREL', relationship: 'Époux', phone: '06 12 34 56 78' }],
    [
      'contacts',
      { role: 'trusted-person', name: 'Sophie LEFEBVRE', relationship: 'Sœur', phone: '06 98 76 54 32' },
    ],
    ['wishes', { kind: 'organ-donation', choice: 'accept' }],
    ['blood-group', { abo: 'A', rhesus: 'positive' }],
  );
  for (const [section, data] of items) await addProfileEntry(ctx, principal, person.id, section, data);
  return { entries: items.length };
}
