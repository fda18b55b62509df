import { describe, expect, it } from 'vitest';
import {
  activeHabilitationMatrix,
  isTypeAllowed,
  mayProduceType,
  type ProfessionalPrincipal,
} from '../access/index.ts';
import { nationalIdOfRpps, parseIns } from '../identity/index.ts';
import { DOCUMENT_TITLE_MAX_LENGTH } from '../record/index.ts';
import { findDocumentType, valueSetConcepts } from '../terminology/index.ts';
import { pdfTextLines } from '../portability/test-pdf-text.ts';
import { simplePdf } from './demo-pdf.ts';
import { ENCOUNTER_ID_TYPE, LONG_TERM_INS, longTermAuthors, longTermRecord } from './long-term-record.ts';
import { demoPatients } from './patients.ts';
import { demoProfessionals } from './professionals.ts';

const anchor = new Date('2026-12-06T09:30:00Z');
const DAY = 86_400_000;
const plan = longTermRecord(anchor);
const documents = plan.flatMap((s) => s.documents.map((d) => ({ ...d, authorRpps: s.authorRpps })));
const daysBefore = (iso: string) => (Date.UTC(2026, 11, 6) - new Date(iso).getTime()) / DAY;

const principalOf = (rpps: string): ProfessionalPrincipal => {
  const p = demoProfessionals.find((d) => d.rpps === rpps)!;
  return {
    kind: 'professional',
    professionalId: 'demo',
    nationalId: nationalIdOfRpps(p.rpps),
    rpps: p.rpps,
    professionCode: p.professionCode,
    specialtyCode: p.specialtyCode,
    givenName: p.givenName,
    familyName: p.familyName,
    signIn: { regulator: false, declaredEmergency: undefined },
    structure: { nationalId: p.structure.nationalId, name: p.structure.name },
  };
};

describe('the long-term demo record (Hélène Brunet)', () => {
  it('is a demo patient born in 1955, with a valid INS and a login', () => {
    const helene = demoPatients.find((p) => p.record.ins === LONG_TERM_INS)!;
    expect(parseIns(LONG_TERM_INS).ok).toBe(true);
    expect(helene).toMatchObject({ state: 'activated', login: 'helene.brunet' });
    expect(helene.record).toMatchObject({ birth_date: '1955-04-14', sex: 'F', used_name: 'BRUNET' });
  });

  it('is the same plan, to the byte of its contents, each time it is generated from the same day', () => {
    const again = longTermRecord(new Date('2026-12-06T22:10:00Z'));
    expect(again).toEqual(plan);
    const sample = documents.filter((_, i) => i % 97 === 0);
    for (const d of sample) {
      const lines = d.lines.map((text) => ({ text }));
      expect(Buffer.from(simplePdf(d.title, lines)).equals(Buffer.from(simplePdf(d.title, lines)))).toBe(
        true,
      );
    }
    // Another seed tells another story.
    expect(longTermRecord(anchor, { seed: 7 })).not.toEqual(plan);
  });

  it('holds about a thousand documents spread over the ten years before today, never in the future', () => {
    expect(documents.length).toBeGreaterThanOrEqual(900);
    expect(documents.length).toBeLessThanOrEqual(1100);
    const ages = documents.map((d) => daysBefore(d.createdAt));
    expect(Math.min(...ages)).toBeGreaterThan(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(3653);
    for (let year = 0; year < 10; year++) {
      const inYear = ages.filter((a) => a > year * 365.25 && a <= (year + 1) * 365.25);
      expect(inYear.length, `year ${year + 1} before today`).toBeGreaterThan(50);
    }
    expect(new Set(documents.map((d) => d.masterIdentifier)).size).toBe(documents.length);
    expect(new Set(plan.map((s) => s.masterIdentifier)).size).toBe(plan.length);
  });

  it('mixes classes, types and authors, each type one its author may produce and her GP may read', () => {
    const types = new Set(documents.map((d) => d.typeCode));
    const classes = new Set([...types].map((code) => findDocumentType(code)!.classCode));
    expect(types.size).toBeGreaterThanOrEqual(20);
    // Reports, syntheses, prescriptions, imaging, dispensations, care plans, certificates/vaccinations.
    expect([...classes].sort()).toEqual(expect.arrayContaining(['10', '11', '31', '42', '43', '44', '52']));
    expect(new Set(plan.map((s) => s.authorRpps)).size).toBe(Object.keys(longTermAuthors).length);
    const gp = principalOf(longTermAuthors.gp);
    for (const d of documents) {
      const type = findDocumentType(d.typeCode);
      expect(type?.deprecated, d.typeCode).toBe(false);
      expect(mayProduceType(principalOf(d.authorRpps), type!), `${d.typeCode} by ${d.authorRpps}`).toBe(true);
      expect(isTypeAllowed(activeHabilitationMatrix, gp.professionCode, gp.specialtyCode, d.typeCode)).toBe(
        true,
      );
      expect(d.title.length).toBeLessThanOrEqual(DOCUMENT_TITLE_MAX_LENGTH);
    }
    // Her GP writes a synthesis (VSM) every year; the pharmacy dispenses every month.
    const byGp = plan.filter((s) => s.authorRpps === longTermAuthors.gp).flatMap((s) => s.documents);
    expect(byGp.filter((d) => d.typeCode === '60591-5').length).toBeGreaterThanOrEqual(10);
    const dispensations = documents.filter((d) => d.typeCode === '60593-1').length;
    expect(dispensations).toBeGreaterThanOrEqual(110);
  });

  it('names facility types and practice settings of the ANS value sets', () => {
    const facilities = new Set(valueSetConcepts('facility').map((c) => `${c.system}|${c.code}`));
    const settings = new Set(valueSetConcepts('practiceSetting').map((c) => `${c.system}|${c.code}`));
    for (const d of documents) {
      expect(facilities.has(`${d.facilityType.system}|${d.facilityType.code}`)).toBe(true);
      expect(settings.has(`${d.practiceSetting.system}|${d.practiceSetting.code}`)).toBe(true);
    }
    expect(new Set(documents.map((d) => d.facilityType.code)).size).toBeGreaterThanOrEqual(4);
  });

  it('has her blood tested every one to three months', () => {
    const biology = documents
      .filter((d) => d.typeCode === '11502-2')
      .map((d) => daysBefore(d.createdAt))
      .sort((a, b) => b - a);
    const gaps = biology.slice(1).map((a, i) => biology[i]! - a);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(92);
  });

  it('has a hospital stay every year or two, its documents sharing the stay as encounter', () => {
    const stays = new Map<string, typeof documents>();
    for (const d of documents) {
      const encounter = d.related.find((r) => r.type === ENCOUNTER_ID_TYPE)?.value;
      if (encounter?.startsWith('SEJ-')) stays.set(encounter, [...(stays.get(encounter) ?? []), d]);
    }
    expect(stays.size).toBeGreaterThanOrEqual(5);
    const starts: number[] = [];
    for (const [id, docs] of stays) {
      const types = docs.map((d) => d.typeCode);
      expect(types, id).toEqual(expect.arrayContaining(['34112-3', '11490-0', '11502-2', '18748-4']));
      expect(new Set(docs.map((d) => d.authorRpps)).size, id).toBeGreaterThanOrEqual(3);
      const letter = docs.find((d) => d.typeCode === '11490-0')!;
      expect(letter.serviceStart! < letter.serviceEnd!).toBe(true);
      starts.push(Math.max(...docs.map((d) => daysBefore(d.createdAt))));
      // One professional's part of a stay is one submission set.
      const sets = plan.filter((s) => s.documents.some((d) => d.related.some((r) => r.value === id)));
      expect(sets.length).toBe(new Set(docs.map((d) => d.authorRpps)).size);
      for (const set of sets) expect(set.title).toMatch(/^Séjour en (cardiologie|endocrinologie) du /);
    }
    starts.sort((a, b) => b - a);
    const gaps = starts.slice(1).map((s, i) => starts[i]! - s);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * 365);
  });

  it('writes each document as a PDF that shows its title and the patient', async () => {
    const letter = documents.find((d) => d.typeCode === '11490-0')!;
    const pdf = simplePdf(
      letter.title,
      letter.lines.map((text, i) => ({ text, heading: i === 0 })),
    );
    const [page] = await pdfTextLines(pdf);
    expect(page![0]).toBe(letter.title);
    expect(page).toContain('Patiente : Mme Hélène BRUNET née VIDAL, née le 14/04/1955 — INS 255042123104707');
  });

  it('tells a shorter story with fewer documents', () => {
    const short = longTermRecord(anchor, { years: 2 }).flatMap((s) => s.documents);
    expect(short.length).toBeGreaterThan(100);
    expect(short.length).toBeLessThan(documents.length / 3);
    expect(Math.max(...short.map((d) => daysBefore(d.createdAt)))).toBeLessThanOrEqual(731);
  });
});
