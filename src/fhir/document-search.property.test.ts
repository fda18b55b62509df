/**
 * ITI-67's acceptance test, against an in-memory model. Generated document sets (types, classes, statuses,
 * confidentiality levels and TRE_A07 flags, creation and deposit instants, service periods, authors whose names
 * differ in case and accents, formats, facilities, settings, event codes, related identifiers) are stored for one
 * patient; generated queries over every parameter (comma lists = OR, repeated parameters = AND, every date prefix
 * at every precision, systems spelled several ways, string modifiers, paging, unknown parameters under strict and
 * lenient handling) go through the HTTP API, by GET or by POST `_search` with the parameters split between the URL
 * and the form body, as a doctor, a pharmacist (whom the habilitation matrix restricts) and the patient. The
 * answer must be the model's: the same documents in the same order, the same total, the same count of documents
 * the matrix hides, and a `self` link that repeats exactly the parameters used.
 *
 * The model is written from the FHIR and MHD texts, not from the server's code: date ranges of the search values
 * are written out by hand, names are compared with `Intl.Collator` at base sensitivity, and what each principal
 * may read is `decideDocument` (the policy's reference decision, which src/access/document-filter.test.ts holds
 * equal to the SQL).
 *
 * CI runs 100 document sets of 10 queries on SQLite and 40 on PostgreSQL (slower per query; the SQL is the
 * same): about 11 s and 15 s on a quiet 2-core machine. `CARNET_SEARCH_PROPERTY_RUNS` sets the number of document
 * sets for each database, `CARNET_SEARCH_PROPERTY_SEED` replays a run, `CARNET_TEST_DIALECT` picks one database.
 * The longer run, 20,000 queries on SQLite (4 minutes) and 5,000 on PostgreSQL (3 minutes), passed:
 *   CARNET_TEST_DIALECT=sqlite CARNET_SEARCH_PROPERTY_RUNS=2000 npx vitest run src/fhir/document-search.property.test.ts
 *   CARNET_TEST_DIALECT=postgres CARNET_SEARCH_PROPERTY_RUNS=500 npx vitest run src/fhir/document-search.property.test.ts
 * A 400-set run found the model disagreeing with the README on ligatures (« Œuvray » contains « e »): the model
 * was wrong and now spells them out as Carnet does.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Principal, decideDocument } from '../access/index.ts';
import { issuePatientAccessToken, verifyBearer } from '../auth/index.ts';
import { seedDemo } from '../demo/index.ts';
import type { Ins, PatientId } from '../identity/index.ts';
import { issueDevAccessToken } from '../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import {
  confidentialityFlags,
  emptyMetadata,
  type ConfidentialityFlag,
  type ConfidentialityLevel,
  type DocumentCoding,
  type DocumentId,
  type DocumentStatus,
  type RecordDocument,
  type RelatedIdentifier,
  documentFacts,
  insertDocuments,
  loadRecordContext,
} from '../record/index.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import { codeSystems } from '../terminology/index.ts';
import { storedSystem } from './coding-system.ts';

const envRuns = Number(process.env.CARNET_SEARCH_PROPERTY_RUNS) || undefined;
const runsFor = (dialect: string) => envRuns ?? (dialect === 'sqlite' ? 100 : 40);
const queriesPerSet = 10;
const seed = Number(process.env.CARNET_SEARCH_PROPERTY_SEED) || undefined;

const LOINC = 'http://loinc.org';
const TRE_A05 = 'urn:oid:1.2.250.1.213.1.1.4.12';
const CLASS_OID = '1.2.250.1.213.1.1.4.1';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const TRE_A07 =
  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
const URI = 'urn:ietf:rfc:3986';
const RPPS_OID = '1.2.250.1.71.4.2.1';

/**
 * The spellings a client may use for a stored system: the terminology's (src/terminology/code-systems.json: its
 * canonical URL, aliases, `urn:oid:` and bare OID), or for a system it does not know, `urn:oid:` and the bare OID.
 */
function spellingsOf(stored: string): readonly string[] {
  const known = codeSystems.find((s) => s.canonical === stored);
  const oid = known?.oid ?? /^urn:oid:(.+)$/.exec(stored)?.[1];
  return [...new Set([stored, ...(known?.aliases ?? []), ...(oid ? [`urn:oid:${oid}`, oid] : [])])];
}
const canonical = storedSystem;
/** Codings as the FHIR edge stores them (storedSystem), whatever spelling the data below is written in. */
const stored = <T extends { system: string }>(codings: readonly T[]): T[] =>
  codings.map((c) => ({ ...c, system: storedSystem(c.system) }));

// Types: a doctor reads them all; the pharmacist's matrix row hides some (68599-0 among them).
const types = stored([
  { system: LOINC, code: '11488-4' },
  { system: LOINC, code: '68599-0' },
  { system: LOINC, code: '60591-5' },
  { system: LOINC, code: '11490-0' },
  { system: TRE_A05, code: 'EXPPAT_1' },
]);
const classCodes = ['10', '11', '31', '42'];
const formats: DocumentCoding[] = stored([
  { system: 'urn:oid:1.3.6.1.4.1.19376.1.2.3', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient' },
  { system: 'urn:oid:1.2.250.1.213.1.1.4.9', code: 'urn:asip:ci-sis:cr-bio:2018' },
]);
const facilities: DocumentCoding[] = stored([
  { system: 'urn:oid:1.2.250.1.71.4.2.4', code: 'SA01' },
  { system: 'urn:oid:1.2.250.1.71.4.2.4', code: 'SA07' },
]);
const settings: DocumentCoding[] = stored([
  { system: 'urn:oid:1.2.250.1.213.1.1.4.9', code: 'ETABLISSEMENT' },
  { system: 'urn:oid:1.2.250.1.213.1.1.4.9', code: 'AMBULATOIRE' },
]);
const events: DocumentCoding[] = stored([
  { system: 'urn:oid:2.16.840.1.113883.6.3', code: 'E11' },
  { system: 'urn:oid:2.16.840.1.113883.6.3', code: 'I10' },
  { system: 'urn:oid:1.2.250.1.213.2.5', code: 'I10' },
]);
const relatedIds: RelatedIdentifier[] = [
  { system: 'urn:oid:1.2.250.1.999.1', value: 'ORD-1' },
  { system: 'urn:oid:1.2.250.1.999.2', value: 'ORD-1' },
  { system: undefined, value: 'ENC-7' },
];
const givenNames = ['Éloïse', 'eloise', 'ÉLODIE', 'Jean-Pierre', 'Zoé', 'Anne'];
const familyNames = ['Lefèvre', 'LEFEBVRE', 'Martin', 'martinez', 'Œuvray', 'Dupont'];
const nameQueries = [
  'elo',
  'ÉLOÏSE',
  'Eloise',
  'lef',
  'LEFÈ',
  'jean-',
  'jean p',
  'zo',
  'mart',
  'oeu',
  'œu',
  'e',
  'vr',
  'ont',
];

/** Stored instants: day, month and year edges, and ordinary ones. */
const instants = [
  '2023-12-31T23:59:59.999Z',
  '2024-01-01T00:00:00.000Z',
  '2024-02-29T00:00:00.000Z',
  '2024-02-29T23:59:59.999Z',
  '2024-03-01T00:00:00.000Z',
  '2024-03-15T12:30:00.000Z',
  '2024-03-15T12:30:59.999Z',
  '2024-03-15T12:31:00.000Z',
  '2024-06-30T22:00:00.000Z',
  '2025-01-01T00:00:00.000Z',
];
/** Search values and the instants they cover, written out by hand (FHIR search.html#date, UTC). */
const dateValues: { text: string; lo: string; hi: string }[] = [
  { text: '2024', lo: '2024-01-01T00:00:00.000Z', hi: '2024-12-31T23:59:59.999Z' },
  { text: '2023', lo: '2023-01-01T00:00:00.000Z', hi: '2023-12-31T23:59:59.999Z' },
  { text: '2024-02', lo: '2024-02-01T00:00:00.000Z', hi: '2024-02-29T23:59:59.999Z' },
  { text: '2024-03', lo: '2024-03-01T00:00:00.000Z', hi: '2024-03-31T23:59:59.999Z' },
  { text: '2024-02-29', lo: '2024-02-29T00:00:00.000Z', hi: '2024-02-29T23:59:59.999Z' },
  { text: '2024-03-15', lo: '2024-03-15T00:00:00.000Z', hi: '2024-03-15T23:59:59.999Z' },
  { text: '2024-03-15T12:30Z', lo: '2024-03-15T12:30:00.000Z', hi: '2024-03-15T12:30:59.999Z' },
  { text: '2024-03-15T13:30+01:00', lo: '2024-03-15T12:30:00.000Z', hi: '2024-03-15T12:30:59.999Z' },
  { text: '2024-03-15T12:30:00Z', lo: '2024-03-15T12:30:00.000Z', hi: '2024-03-15T12:30:00.999Z' },
  { text: '2024-07-01T00:00:00+02:00', lo: '2024-06-30T22:00:00.000Z', hi: '2024-06-30T22:00:00.999Z' },
  { text: '2023-12-31T23:59:59.999Z', lo: '2023-12-31T23:59:59.999Z', hi: '2023-12-31T23:59:59.999Z' },
  { text: '2025-01-01', lo: '2025-01-01T00:00:00.000Z', hi: '2025-01-01T23:59:59.999Z' },
];
const prefixes = ['', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;

interface GeneratedDoc {
  readonly type: number;
  readonly classCode: string;
  readonly status: DocumentStatus;
  readonly level: ConfidentialityLevel;
  readonly flags: ConfidentialityFlag[];
  readonly created: string;
  readonly deposited: string;
  readonly start: string | null;
  readonly end: string | null;
  readonly author: number;
  readonly given: string | null;
  readonly family: string | null;
  readonly format: number | null;
  readonly facility: number | null;
  readonly setting: number | null;
  readonly events: number[];
  readonly related: number[];
}

const pickIndex = (n: number) => fc.nat(n - 1);
const optionalIndex = (n: number) => fc.option(pickIndex(n), { nil: null });
const docArb: fc.Arbitrary<GeneratedDoc> = fc.record({
  type: pickIndex(types.length),
  classCode: fc.constantFrom(...classCodes),
  status: fc.constantFrom<DocumentStatus>(
    'current',
    'current',
    'current',
    'superseded',
    'archived',
    'deleted',
  ),
  level: fc.constantFrom<ConfidentialityLevel>('N', 'N', 'R', 'V'),
  flags: fc.subarray([...confidentialityFlags], { maxLength: 2 }),
  created: fc.constantFrom(...instants),
  deposited: fc.constantFrom(...instants),
  start: fc.option(fc.constantFrom(...instants), { nil: null }),
  end: fc.option(fc.constantFrom(...instants), { nil: null }),
  author: fc.nat(2),
  given: fc.option(fc.constantFrom(...givenNames), { nil: null }),
  family: fc.option(fc.constantFrom(...familyNames), { nil: null }),
  format: optionalIndex(formats.length),
  facility: optionalIndex(facilities.length),
  setting: optionalIndex(settings.length),
  events: fc.uniqueArray(pickIndex(events.length), { maxLength: 2 }),
  related: fc.uniqueArray(pickIndex(relatedIds.length), { maxLength: 2 }),
});

/** One occurrence of a parameter as generated: its raw name and value, and what it keeps in the model. */
interface Param {
  readonly name: string;
  readonly value: string;
  readonly keep: (d: RecordDocument) => boolean;
}

type Pick = (n: number) => number;

/** A token value for a stored coding: the code alone, with its system in some spelling, with no system, or another. */
function tokenFor(stored: { system: string | undefined; code: string }, pick: Pick) {
  const form = pick(5);
  if (form === 0 || form === 4) return { text: stored.code, system: 'any' as const };
  if (form === 3) return { text: `|${stored.code}`, system: 'none' as const };
  if (stored.system === undefined || (form === 2 && pick(3) === 0))
    return { text: `urn:oid:9.9.9|${stored.code}`, system: 'urn:oid:9.9.9' };
  const all = spellingsOf(stored.system);
  return { text: `${all[pick(all.length)]}|${stored.code}`, system: canonical(all[pick(all.length)]!) };
}

function tokenMatches(
  t: ReturnType<typeof tokenFor>,
  code: string,
  doc: { system: string | undefined; code: string } | undefined,
) {
  if (!doc || doc.code !== code) return false;
  if (t.system === 'any') return true;
  if (t.system === 'none') return doc.system === undefined;
  return doc.system !== undefined && canonical(doc.system) === t.system;
}

/** A list of alternatives joined by commas: kept when any keeps. */
function orOf(parts: { text: string; keep: (d: RecordDocument) => boolean }[], name: string): Param {
  return {
    name,
    value: parts.map((p) => p.text).join(','),
    keep: (d) => parts.some((p) => p.keep(d)),
  };
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });
const sameText = (a: string, b: string) => collator.compare(a, b) === 0;
/** Carnet's choice (README): the ligatures are their two letters, so `oe` is found inside « Œuvray ». */
const spelledOut = (text: string) =>
  text.replace(/œ/g, 'oe').replace(/Œ/g, 'OE').replace(/æ/g, 'ae').replace(/Æ/g, 'AE');
function startsWith(name: string, value: string) {
  for (let k = 0; k <= name.length; k++) if (sameText(name.slice(0, k), value)) return true;
  return false;
}
function contains(name: string, value: string) {
  for (let i = 0; i < name.length; i++) if (startsWith(name.slice(i), value)) return true;
  return sameText('', value);
}

/** FHIR date search on a target range (an instant is both ends; a period's missing end is open). */
function dateKeeps(prefix: (typeof prefixes)[number], s: { lo: string; hi: string }) {
  return (lo: string | null, hi: string | null) => {
    if (lo === null && hi === null) return false;
    const tLo = lo ?? '0000';
    const tHi = hi ?? '9999';
    const eq = lo !== null && hi !== null && tLo >= s.lo && tHi <= s.hi;
    switch (prefix) {
      case '':
      case 'eq':
        return eq;
      case 'ne':
        return !eq;
      case 'gt':
        return tHi > s.hi;
      case 'lt':
        return tLo < s.lo;
      case 'ge':
        return tHi > s.hi || eq;
      case 'le':
        return tLo < s.lo || eq;
      case 'sa':
        return lo !== null && tLo > s.hi;
      case 'eb':
        return hi !== null && tHi < s.lo;
      case 'ap':
        return tLo <= s.hi && tHi >= s.lo;
    }
  };
}

describe.each(testDialects)('ITI-67 against an in-memory model, on %s', (dialect) => {
  let carnet: TestCarnet;
  let fhirBase: string;
  let jean: InsuredPerson;
  const readers: { label: string; token: string; principal: Principal }[] = [];
  const authors: string[] = [];
  const stats = {
    queries: 0,
    matched: 0,
    empty: 0,
    filteredNonEmpty: 0,
    strictRefusals: 0,
    posts: 0,
    hiddenByMatrix: 0,
  };

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    fhirBase = `${carnet.url}/fhir`;
    jean = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!;
    for (const [label, rpps] of [
      ['doctor', '10001000115'],
      ['pharmacist', '10001000313'],
    ] as const) {
      const token = await issueDevAccessToken(carnet.ctx, { rpps });
      const principal = await verifyBearer(carnet.ctx, `Bearer ${token}`);
      // The professional declares the patient's consent, as a first visit does.
      const consent = await fetch(`${fhirBase}/Consent`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify({
          resourceType: 'Consent',
          status: 'active',
          patient: { reference: `Patient/${jean.id}` },
        }),
      });
      expect(consent.status).toBeLessThan(300);
      readers.push({ label, token, principal });
      if (principal.kind === 'professional') authors.push(principal.nationalId);
    }
    const patientToken = await issuePatientAccessToken(carnet.ctx, jean.id);
    readers.push({
      label: 'patient',
      token: patientToken,
      principal: await verifyBearer(carnet.ctx, `Bearer ${patientToken}`),
    });
    authors.push('10009999990');
  });
  afterAll(async () => {
    await carnet?.stop();
    console.info(`ITI-67 model on ${dialect}: ${JSON.stringify(stats)}`);
  });

  function toDocument(g: GeneratedDoc, i: number): RecordDocument {
    const type = types[g.type]!;
    const [start, end] = g.start && g.end && g.start > g.end ? [g.end, g.start] : [g.start, g.end];
    return {
      id: randomUUID() as DocumentId,
      patientId: jean.id as PatientId,
      masterIdentifier: `urn:oid:1.2.250.1.999.7.${i}.${Date.now()}`,
      typeCode: type.code,
      typeSystem: type.system,
      typeDisplay: type.code,
      classCode: g.classCode,
      title: `Document ${i}`,
      author: {
        kind: 'professional',
        nationalId: authors[g.author] as never,
        patientId: undefined,
        name: [g.given, g.family].filter(Boolean).join(' ') || 'Dr X',
        givenName: g.given ?? undefined,
        familyName: g.family ?? undefined,
        professionCode: '10' as never,
        specialtyCode: undefined,
        structureNationalId: undefined,
        structureName: undefined,
      },
      createdAt: g.created,
      serviceStart: start ?? undefined,
      serviceEnd: end ?? undefined,
      depositedAt: g.deposited,
      status: g.status,
      confidentiality: g.flags,
      hash: '0'.repeat(64),
      size: 1,
      contentType: 'application/pdf',
      replacesId: undefined,
      submissionSetId: undefined,
      metadata: {
        ...emptyMetadata,
        format: g.format === null ? undefined : formats[g.format],
        facilityType: g.facility === null ? undefined : facilities[g.facility],
        practiceSetting: g.setting === null ? undefined : settings[g.setting],
        events: g.events.map((e) => events[e]!),
        related: g.related.map((r) => relatedIds[r]!),
        confidentialityLevel: g.level,
      },
    };
  }

  async function storeSet(docs: RecordDocument[]) {
    const db = carnet.ctx.db;
    await db.deleteFrom('document_event_tokens').where('patient_id', '=', jean.id).execute();
    await db.deleteFrom('document_related_ids').where('patient_id', '=', jean.id).execute();
    await db.deleteFrom('documents').where('patient_id', '=', jean.id).execute();
    await insertDocuments(carnet.ctx.config, db, docs, new Date().toISOString());
  }

  /** One generated parameter occurrence over the stored set. */
  function paramFor(kind: number, docs: RecordDocument[], pick: Pick): Param {
    const any = <T>(list: readonly T[]) => list[pick(list.length)]!;
    const some = <T>(list: readonly T[]) => Array.from({ length: 1 + pick(3) }, () => any(list));
    const docOr = <T>(from: (d: RecordDocument) => T | undefined, fallback: T) => {
      const found = docs.length ? from(any(docs)) : undefined;
      return found ?? fallback;
    };
    switch (kind) {
      case 0: {
        const statusCodes = ['current', 'superseded', 'entered-in-error'] as const;
        const stored = {
          current: 'current',
          superseded: 'superseded',
          'entered-in-error': 'deleted',
        } as const;
        return orOf(
          some(statusCodes).map((s) => ({ text: s, keep: (d) => d.status === stored[s] })),
          'status',
        );
      }
      case 1:
        return orOf(
          some(types).map((t) => {
            const tok = tokenFor(t, pick);
            return {
              text: tok.text,
              keep: (d) => tokenMatches(tok, t.code, { system: d.typeSystem, code: d.typeCode }),
            };
          }),
          'type',
        );
      case 2:
        return orOf(
          some(classCodes).map((c) => {
            const tok = tokenFor({ system: storedSystem(`urn:oid:${CLASS_OID}`), code: c }, pick);
            return {
              text: tok.text,
              keep: (d) =>
                tokenMatches(tok, c, { system: storedSystem(`urn:oid:${CLASS_OID}`), code: d.classCode }),
            };
          }),
          'category',
        );
      case 3:
      case 4:
      case 5: {
        const [name, pool, of] = (
          [
            ['format', formats, (d: RecordDocument) => d.metadata.format],
            ['facility', facilities, (d: RecordDocument) => d.metadata.facilityType],
            ['setting', settings, (d: RecordDocument) => d.metadata.practiceSetting],
          ] as const
        )[kind - 3]!;
        return orOf(
          some(pool).map((c) => {
            const tok = tokenFor(c, pick);
            return { text: tok.text, keep: (d) => tokenMatches(tok, c.code, of(d)) };
          }),
          name,
        );
      }
      case 6:
        return orOf(
          some(events).map((c) => {
            const tok = tokenFor(c, pick);
            return {
              text: tok.text,
              keep: (d) => d.metadata.events.some((e) => tokenMatches(tok, c.code, e)),
            };
          }),
          'event',
        );
      case 7:
        return orOf(
          some(relatedIds).map((r) => {
            const tok = tokenFor({ system: r.system, code: r.value }, pick);
            return {
              text: tok.text,
              keep: (d) =>
                d.metadata.related.some((e) =>
                  tokenMatches(tok, r.value, { system: e.system, code: e.value }),
                ),
            };
          }),
          pick(2) ? 'related' : 'related:identifier',
        );
      case 8: {
        const labels = ['N', 'R', 'V', ...confidentialityFlags] as const;
        return orOf(
          some(labels).map((l) => {
            const system = l.length === 1 ? V3 : TRE_A07;
            const tok = tokenFor({ system, code: l }, pick);
            const has = (d: RecordDocument) =>
              l.length === 1 ? d.metadata.confidentialityLevel === l : d.confidentiality.includes(l as never);
            return { text: tok.text, keep: (d) => has(d) && tokenMatches(tok, l, { system, code: l }) };
          }),
          'security-label',
        );
      }
      case 9: {
        const parts = Array.from({ length: 1 + pick(2) }, () => {
          const target = docs.length && pick(4) ? any(docs) : undefined;
          const byUuid = pick(2) === 0;
          const value = target
            ? byUuid
              ? `urn:uuid:${target.id}`
              : target.masterIdentifier
            : 'urn:oid:1.2.3.4';
          const tok =
            pick(3) === 0
              ? { text: `${URI}|${value}` }
              : pick(4) === 0
                ? { text: `|${value}` }
                : { text: value };
          const anySystem = !tok.text.startsWith('|');
          return {
            text: tok.text,
            keep: (d: RecordDocument) =>
              anySystem && (d.masterIdentifier === value || `urn:uuid:${d.id}` === value),
          };
        });
        return orOf(parts, 'identifier');
      }
      case 10:
      case 11:
      case 12: {
        const name = (['creation', 'date', 'period'] as const)[kind - 10]!;
        const parts = Array.from({ length: 1 + (pick(4) === 0 ? 1 : 0) }, () => {
          const prefix = any(prefixes);
          const value = any(dateValues);
          const keeps = dateKeeps(prefix, value);
          return {
            text: `${prefix}${value.text}`,
            keep: (d: RecordDocument) =>
              name === 'creation'
                ? keeps(d.createdAt, d.createdAt)
                : name === 'date'
                  ? keeps(d.depositedAt, d.depositedAt)
                  : keeps(d.serviceStart ?? null, d.serviceEnd ?? null),
          };
        });
        return orOf(parts, name);
      }
      case 13:
      case 14: {
        const field = kind === 13 ? 'given' : 'family';
        const modifier = any(['', '', ':exact', ':contains'] as const);
        const pool = kind === 13 ? givenNames : familyNames;
        const value =
          modifier === ':exact'
            ? pick(2)
              ? docOr((d) => (field === 'given' ? d.author.givenName : d.author.familyName), any(pool))
              : any(pool).toLowerCase()
            : any(nameQueries);
        const of = (d: RecordDocument) => (field === 'given' ? d.author.givenName : d.author.familyName);
        const keep = (d: RecordDocument) => {
          const name = of(d);
          if (name === undefined) return false;
          if (modifier === ':exact') return name === value;
          const [n, v] = [spelledOut(name), spelledOut(value)];
          return modifier === ':contains' ? contains(n, v) : startsWith(n, v);
        };
        return { name: `author.${field}${modifier}`, value, keep };
      }
      default: {
        const author = any(authors);
        const text = pick(2) ? author : `urn:oid:${RPPS_OID}|${author}`;
        return { name: 'author.identifier', value: text, keep: (d) => d.author.nationalId === author };
      }
    }
  }

  it('answers every generated query as the model does: same documents, same order, same total', async () => {
    const queryArb = fc.record({
      reader: fc.nat(2),
      // Mostly one or two parameters: more filters than that rarely leave anything to compare.
      kinds: fc.oneof(
        { weight: 1, arbitrary: fc.array(fc.nat(15), { maxLength: 0 }) },
        { weight: 5, arbitrary: fc.array(fc.nat(15), { minLength: 1, maxLength: 1 }) },
        { weight: 3, arbitrary: fc.array(fc.nat(15), { minLength: 2, maxLength: 2 }) },
        { weight: 1, arbitrary: fc.array(fc.nat(15), { minLength: 3, maxLength: 3 }) },
      ),
      repeat: fc.nat(3).map((n) => n === 0),
      picks: fc.array(fc.nat(1_000_000), { minLength: 64, maxLength: 64 }),
      count: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
      offset: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
      post: fc.nat(2),
      junk: fc.nat(11),
      strict: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(docArb, { minLength: 3, maxLength: 14 }),
        fc.array(queryArb, { minLength: queriesPerSet, maxLength: queriesPerSet }),
        async (generated, queries) => {
          const docs = generated.map(toDocument);
          await storeSet(docs);
          for (const q of queries) {
            let at = 0;
            const pick: Pick = (n) => q.picks[at++ % q.picks.length]! % n;
            const reader = readers[q.reader]!;
            const params = q.kinds.map((k) => paramFor(k, docs, pick));
            // A repeated parameter: both conditions hold (AND).
            if (q.repeat && q.kinds.length) params.push(paramFor(q.kinds[0]!, docs, pick));
            const junk = [
              undefined,
              undefined,
              undefined,
              ['_sort', '-date'],
              ['foo', 'bar'],
              ['type:not', '11488-4'],
              ['author.given:missing', 'true'],
              ['_summary', 'count'],
            ][q.junk] as [string, string] | undefined;
            const pairs: [string, string][] = [
              ['patient', jean.id],
              ...params.map((p) => [p.name, p.value] as [string, string]),
              ...(junk ? [junk] : []),
              ...(q.count !== undefined ? [['_count', String(q.count)] as [string, string]] : []),
              ...(q.offset !== undefined ? [['_offset', String(q.offset)] as [string, string]] : []),
            ];
            const headers: Record<string, string> = { authorization: `Bearer ${reader.token}` };
            if (q.strict) headers.prefer = 'handling=strict';
            let response: Response;
            if (q.post === 0) {
              stats.posts++;
              const split = pick(pairs.length + 1);
              const inUrl = new URLSearchParams(pairs.slice(0, split)).toString();
              response = await fetch(`${fhirBase}/DocumentReference/_search${inUrl ? `?${inUrl}` : ''}`, {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams(pairs.slice(split)).toString(),
              });
            } else {
              response = await fetch(
                `${fhirBase}/DocumentReference?${new URLSearchParams(pairs).toString()}`,
                {
                  headers,
                },
              );
            }
            const body = (await response.json()) as Bundle | OperationOutcome;
            stats.queries++;
            const label = `${reader.label} ${JSON.stringify(pairs)} ${q.strict ? 'strict' : 'lenient'}`;
            // An unsupported modifier is refused under either handling: ignoring it would widen the answer.
            const refused = junk && (q.strict || junk[0].includes(':'));
            if (refused) {
              stats.strictRefusals++;
              expect(response.status, label).toBe(400);
              expect((body as OperationOutcome).issue?.[0]?.expression, label).toEqual([junk[0]]);
              continue;
            }
            expect(response.status, `${label}: ${JSON.stringify(body)}`).toBe(200);
            const bundle = body as Bundle;

            const context = await loadRecordContext(
              carnet.ctx.db,
              jean.id as PatientId,
              reader.principal,
              new Date(),
            );
            const decisions = docs.map((d) =>
              decideDocument(reader.principal, context, documentFacts(d), 'read'),
            );
            const statusGiven = params.some((p) => p.name === 'status');
            const expected = docs
              .filter((d, i) => decisions[i]!.allowed)
              .filter((d) => statusGiven || d.status === 'current')
              .filter((d) => params.every((p) => p.keep(d)))
              .sort((a, b) =>
                a.depositedAt !== b.depositedAt
                  ? a.depositedAt < b.depositedAt
                    ? 1
                    : -1
                  : a.id < b.id
                    ? 1
                    : a.id > b.id
                      ? -1
                      : 0,
              );
            const count = Math.min(q.count ?? 20, 100);
            const offset = q.offset ?? 0;
            const page = expected.slice(offset, offset + count).map((d) => d.id);
            const matches = (bundle.entry ?? [])
              .filter((e) => e.search?.mode === 'match')
              .map((e) => e.resource!.id);
            expect(bundle.total, label).toBe(expected.length);
            expect(matches, label).toEqual(page);
            stats.matched += matches.length;
            if (expected.length === 0) stats.empty++;
            else if (params.length > 0) stats.filteredNonEmpty++;

            const hidden = decisions.filter((d) => !d.allowed && d.reason === 'habilitation').length;
            const outcome = (bundle.entry ?? []).find((e) => e.search?.mode === 'outcome')?.resource as
              OperationOutcome | undefined;
            expect(Number(outcome?.issue?.[0]?.details?.text ?? 0), label).toBe(hidden);
            if (hidden) stats.hiddenByMatrix++;

            // The self link repeats the parameters used, and only them (each name's values in the order sent; the
            // order between names means nothing in FHIR).
            const self = new URL(bundle.link!.find((l) => l.relation === 'self')!.url!);
            const byName = (list: [string, string][]) =>
              [...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
            const used = pairs.filter(([k]) => k !== '_count' && k !== '_offset' && k !== junk?.[0]);
            expect(
              byName([...self.searchParams].filter(([k]) => k !== '_count' && k !== '_offset')),
              label,
            ).toEqual(byName(used));
            expect(self.searchParams.get('_count'), label).toBe(String(count));
          }
        },
      ),
      { numRuns: runsFor(dialect), ...(seed ? { seed } : {}) },
    );
  }, 600_000);
});
