/**
 * The shared record's acceptance property: over random patients, professionals, documents, masks, blocks, opt-ins
 * and access modes, no path (search, read, retrieve; FHIR ITI-67/ITI-68, the portal, the patient space) returns a
 * document the policy (`decideRecord`/`decideDocument`) denies, and searches never reveal one: not in a page, not in
 * a total, not by paging.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Principal,
  decideDocument,
  decideDocumentSearch,
  decideRecord,
  type RecordContext,
} from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import {
  issuePatientAccessToken,
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
} from '../auth/index.ts';
import { seedDemo, demoProfessionals } from '../demo/index.ts';
import { issueDevAccessToken } from '../idp/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { CarnetError } from '../shared/index.ts';
import { testDialects } from '../storage/test-databases.ts';
import { makePdf } from './content/test-files.ts';
import type { DocumentStatus } from '../guard/index.ts';
import {
  loadRecordContext,
  readDocument,
  retrieveDocumentContent,
  searchDocuments,
  type DocumentId,
  type DocumentQuery,
} from './index.ts';
import {
  buildScenario,
  describePrincipal,
  factsOf,
  loadShared,
  modelContext,
  normalRelation,
  patientPrincipal,
  professionalPrincipal,
  scenarioArb,
  typeCodeOf,
  type Built,
  type Scenario,
  type Shared,
  type StoredDoc,
} from './record-paths.fixtures.ts';

const NUM_RUNS = 25;
const allStatuses: DocumentStatus[] = ['current', 'superseded', 'archived', 'deleted'];

/** Newest deposit first, then id: the order the services promise (and paging relies on). */
const newestFirst = (a: StoredDoc, b: StoredDoc) =>
  a.row.deposited_at === b.row.deposited_at
    ? a.row.id < b.row.id
      ? 1
      : -1
    : a.row.deposited_at < b.row.deposited_at
      ? 1
      : -1;

const readable = (principal: Principal, context: RecordContext, built: Built) =>
  built.docs
    .filter((d) => decideDocument(principal, context, factsOf(d.row), 'read').allowed)
    .sort(newestFirst);

interface Page {
  total: number;
  ids: string[];
  /** How many of the record's documents the listing says the habilitation matrix hides (a professional's). */
  hidden: number;
}

/** Pages walked with `pageSize`: same total each time, each page its slice of the expected order, nothing twice. */
function expectPages(pages: Page[], expected: StoredDoc[], pageSize: number, label: string) {
  const ids = expected.map((d) => d.row.id);
  const name = (id: string) => expected.find((d) => d.row.id === id)?.label ?? `unexpected document ${id}`;
  const seen = new Set<string>();
  pages.forEach((page, i) => {
    expect(page.total, `${label}: total on page ${i}`).toBe(expected.length);
    for (const id of page.ids) {
      expect(ids.includes(id), `${label}: page ${i} shows ${name(id)}, which the policy denies`).toBe(true);
      expect(seen.has(id), `${label}: ${name(id)} on two pages`).toBe(false);
      seen.add(id);
    }
    const slice = ids.slice(i * pageSize, (i + 1) * pageSize);
    expect([...page.ids].sort(), `${label}: page ${i}`).toEqual([...slice].sort());
  });
  const missing = ids.filter((id) => !seen.has(id)).map(name);
  expect(missing, `${label}: documents the policy allows but no page showed`).toEqual([]);
}

async function refusal(promise: Promise<unknown>): Promise<CarnetError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof CarnetError) return error;
    throw error;
  }
}

describe.each(testDialects)('every path that shows documents on %s', (dialect) => {
  let carnet: TestCarnet;
  let ctx: AppContext;
  let shared: Shared;
  let otherPatient: InsuredPerson;
  const devTokens = new Map<string, string>();
  const stats = { runs: 0, allowedReads: 0, deniedReads: 0, deniedRecords: 0, nonEmptySearches: 0 };

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    ctx = carnet.ctx;
    await seedDemo(ctx);
    shared = await loadShared(ctx, await makePdf('Compte rendu de propriété'));
    otherPatient = (await findInsuredByIns(ctx.db, '168047505611243' as Ins))!;
    for (const demo of demoProfessionals)
      devTokens.set(demo.rpps, await issueDevAccessToken(ctx, { rpps: demo.rpps }));
  }, 60_000);
  afterAll(() => carnet?.stop());

  /** Every kind of principal the scenario makes: its professionals as they come, the patient's side, outsiders. */
  function principalsOf(s: Scenario, built: Built): Principal[] {
    return [
      ...s.pros.map((p) => professionalPrincipal(shared, p)),
      patientPrincipal(built.patient),
      ...(built.representative
        ? [patientPrincipal(built.representative, [built.representative.id, built.patient.id])]
        : []),
      patientPrincipal(otherPatient),
      { kind: 'insurer' },
      { kind: 'auditor', id: 'auditor-1', name: 'Audit' },
    ];
  }

  async function walkService(
    principal: Principal,
    query: Omit<DocumentQuery, 'count' | 'offset'>,
    size: number,
  ) {
    const pages: Page[] = [];
    const orderedIds: string[] = [];
    for (let offset = 0; pages.length === 0 || offset < pages.at(-1)!.total; offset += size) {
      const found = await searchDocuments(ctx, principal, { ...query, count: size, offset });
      pages.push({ total: found.total, ids: found.documents.map((d) => d.id), hidden: found.hiddenByMatrix });
      orderedIds.push(...found.documents.map((d) => d.id));
      if (pages.length > 20) break;
    }
    return { pages, orderedIds };
  }

  function filterOf(
    s: Scenario,
    built: Built,
  ): { query: Partial<DocumentQuery>; keep: (d: StoredDoc) => boolean } {
    const f = s.filter;
    if (f.kind === 'type') {
      const pool = [...new Set(built.docs.map((d) => d.row.type_code)), 'REMB'];
      const typeCodes = f.picks.map((p) => typeCodeOf(p, pool));
      return { query: { typeCodes }, keep: (d) => typeCodes.includes(d.row.type_code) };
    }
    if (f.kind === 'author') {
      const authorNationalId = shared.professionals[f.index]!.nationalId;
      return { query: { authorNationalId }, keep: (d) => d.row.author_national_id === authorNationalId };
    }
    const column = {
      MASQUE_PS: 'masked_ps',
      INVISIBLE_PATIENT: 'invisible_patient',
      INVISIBLE_REPRESENTANTS_LEGAUX: 'invisible_representatives',
    } as const;
    const has = (d: StoredDoc, l: (typeof f.labels)[number]) =>
      l === 'N'
        ? d.row.masked_ps + d.row.invisible_patient + d.row.invisible_representatives === 0
        : d.row[column[l]] === 1;
    return { query: { securityLabels: f.labels }, keep: (d) => f.labels.some((l) => has(d, l)) };
  }

  async function checkSearches(principal: Principal, s: Scenario, built: Built, label: string) {
    const context = modelContext(built, principal);
    const patientId = built.patient.id;
    const visible = readable(principal, context, built);
    const filter = filterOf(s, built);
    const queries = [
      { name: 'search (every status)', query: { patientId, statuses: allStatuses }, keep: () => true },
      {
        name: 'search (default: current)',
        query: { patientId },
        keep: (d: StoredDoc) => d.row.status === 'current',
      },
      {
        name: `search filtered by ${JSON.stringify(filter.query)}`,
        query: { patientId, statuses: allStatuses, ...filter.query },
        keep: filter.keep,
      },
    ];
    // A professional who may not consult the record but wrote documents of it lists those (decideDocumentSearch).
    if (!decideDocumentSearch(principal, context).allowed) {
      stats.deniedRecords++;
      for (const q of queries) {
        const error = await refusal(searchDocuments(ctx, principal, { ...q.query, count: 50, offset: 0 }));
        expect(error?.kind, `${label}: ${q.name} of a record it may not consult`).toMatch(
          /^(forbidden|not-found)$/,
        );
      }
      return;
    }
    for (const q of queries) {
      const expected = visible.filter(q.keep);
      if (expected.length > 0) stats.nonEmptySearches++;
      const { pages, orderedIds } = await walkService(principal, q.query, s.pageSize);
      expectPages(pages, expected, s.pageSize, `${label}, ${q.name}, pages of ${s.pageSize}`);
      expect(orderedIds, `${label}: ${q.name} newest first`).toEqual(expected.map((d) => d.row.id));
    }
  }

  async function checkReads(principal: Principal, built: Built, label: string) {
    const context = modelContext(built, principal);
    const onRecord = decideRecord(principal, context, 'consult').allowed;
    // A refused record refuses before any document is looked at, but for its author's own: two documents show it
    // (and keep runs short).
    const docs =
      onRecord || context.ownDocuments
        ? built.docs
        : [built.docs[0], built.docs.at(-1)].filter((d) => d !== undefined);
    for (const doc of docs) {
      const decision = decideDocument(principal, context, factsOf(doc.row), 'read');
      const id = doc.row.id as DocumentId;
      const what = `${label} reading ${doc.label}`;
      if (decision.allowed) {
        stats.allowedReads++;
        expect((await readDocument(ctx, principal, id)).id, what).toBe(id);
        const { content } = await retrieveDocumentContent(ctx, principal, id);
        expect(Buffer.compare(content, doc.bytes), `${what}: exact bytes`).toBe(0);
        continue;
      }
      stats.deniedReads++;
      const reasons = `(policy: ${decision.reason})`;
      // A document hidden inside a record one may consult is "not found": its existence does not leak. One the
      // habilitation matrix alone hides is said to be (403): the professional is told how many there are anyway.
      const matrix = decision.reason === 'habilitation';
      const kinds =
        onRecord && !matrix ? /^not-found$/ : onRecord ? /^forbidden$/ : /^(forbidden|not-found)$/;
      expect((await refusal(readDocument(ctx, principal, id)))?.kind, `${what} ${reasons}`).toMatch(kinds);
      const retrieved = await refusal(retrieveDocumentContent(ctx, principal, id));
      expect(retrieved?.kind, `${what}, retrieve ${reasons}`).toMatch(kinds);
    }
  }

  async function checkStoredContext(principal: Principal, built: Built, label: string) {
    const model = modelContext(built, principal);
    const stored = await loadRecordContext(ctx.db, built.patient.id, principal, ctx.clock.now());
    const normal = (c: RecordContext) => ({ ...c, relation: normalRelation(c.relation) });
    expect(normal(stored), `${label}: the record as stored`).toEqual(normal(model));
  }

  const inject = (url: string, headers: Record<string, string>) =>
    carnet.app.inject({ method: 'GET', url, headers });
  const localUrl = (absolute: string) => {
    const url = new URL(absolute);
    return `${url.pathname}${url.search}`;
  };

  /** ITI-67 pages followed through their `next` links, as a FHIR client does. */
  async function walkFhir(patientId: string, size: number, authorization: string) {
    const pages: Page[] = [];
    let url: string | undefined =
      `/fhir/DocumentReference?patient=${patientId}&status=current,superseded,entered-in-error&_count=${size}`;
    while (url && pages.length <= 20) {
      const response = await inject(url, { authorization });
      if (response.statusCode !== 200) return { status: response.statusCode, pages };
      const bundle = response.json() as {
        total: number;
        entry?: {
          resource: { id: string; issue?: { details: { text: string } }[] };
          search: { mode: string };
        }[];
        link: { relation: string; url: string }[];
      };
      const entries = bundle.entry ?? [];
      const outcome = entries.find((e) => e.search.mode === 'outcome');
      pages.push({
        total: bundle.total,
        ids: entries.filter((e) => e.search.mode === 'match').map((e) => e.resource.id),
        hidden: Number(outcome?.resource.issue?.[0]?.details.text ?? 0),
      });
      const next = bundle.link.find((l) => l.relation === 'next')?.url;
      url = next ? localUrl(next) : undefined;
    }
    return { status: 200, pages };
  }

  /** The portal's and the patient space's list, walked with `?count=&offset=`. */
  async function walkJson(base: string, size: number, cookie: string) {
    const pages: Page[] = [];
    for (let offset = 0; pages.length === 0 || offset < pages.at(-1)!.total; offset += size) {
      const response = await inject(`${base}?count=${size}&offset=${offset}`, { cookie });
      if (response.statusCode !== 200) return { status: response.statusCode, pages };
      const body = response.json() as {
        total: number;
        hiddenByMatrix?: number;
        groups: { documents: { id: string }[] }[];
      };
      pages.push({
        total: body.total,
        ids: body.groups.flatMap((g) => g.documents.map((d) => d.id)),
        hidden: body.hiddenByMatrix ?? 0,
      });
      if (pages.length > 20) break;
    }
    return { status: 200, pages };
  }

  async function expectListing(
    walked: { status: number; pages: Page[] },
    principal: Principal,
    built: Built,
    statuses: readonly DocumentStatus[],
    size: number,
    label: string,
  ) {
    const context = modelContext(built, principal);
    if (!decideDocumentSearch(principal, context).allowed) {
      expect(walked.status, `${label}: a record it may not consult`).toBeGreaterThanOrEqual(401);
      expect(walked.status, `${label}: a record it may not consult`).toBeLessThanOrEqual(404);
      return;
    }
    expect(walked.status, label).toBe(200);
    const expected = readable(principal, context, built).filter((d) =>
      statuses.includes(d.row.status as DocumentStatus),
    );
    expectPages(walked.pages, expected, size, `${label}, pages of ${size}`);
    // The documents the matrix alone hides are counted (whatever their status), never listed.
    const hidden = built.docs.filter((d) => {
      const decision = decideDocument(principal, context, factsOf(d.row), 'read');
      return !decision.allowed && decision.reason === 'habilitation';
    }).length;
    for (const page of walked.pages)
      expect(page.hidden, `${label}: told how many the matrix hides`).toBe(hidden);
  }

  /** Each document by its address: 200 (with the exact bytes, for content) exactly when the policy allows it. */
  async function expectContent(
    principal: Principal,
    built: Built,
    urlOf: (doc: StoredDoc) => string,
    headers: Record<string, string>,
    label: string,
    bytes = true,
  ) {
    const context = modelContext(built, principal);
    for (const doc of built.docs) {
      const allowed = decideDocument(principal, context, factsOf(doc.row), 'read').allowed;
      const response = await inject(urlOf(doc), headers);
      const what = `${label} GET ${urlOf(doc).replace(doc.row.id, '…')} for ${doc.label}`;
      if (allowed) {
        expect(response.statusCode, what).toBe(200);
        if (bytes) expect(Buffer.compare(response.rawPayload, doc.bytes), `${what}: exact bytes`).toBe(0);
        else expect((response.json() as { id?: string }).id, what).toBe(doc.row.id);
      } else {
        expect([401, 403, 404], `${what} (denied, got ${response.statusCode})`).toContain(
          response.statusCode,
        );
      }
    }
  }

  async function checkFhir(s: Scenario, built: Built) {
    const spec = s.pros[s.httpPro % s.pros.length]!;
    // The development provider's tokens declare no emergency: the professional's access to this patient is the same.
    const principal = professionalPrincipal(shared, spec);
    const label = `FHIR as ${describePrincipal(principal, built, shared)}`;
    const authorization = `Bearer ${devTokens.get(demoProfessionals[spec.index]!.rpps)}`;
    const walked = await walkFhir(built.patient.id, s.pageSize, authorization);
    await expectListing(walked, principal, built, ['current', 'superseded'], s.pageSize, `${label}, ITI-67`);
    await expectContent(
      principal,
      built,
      (d) => `/fhir/Binary/${d.row.id}`,
      { authorization },
      `${label}, ITI-68`,
    );
    const read = (d: StoredDoc) => `/fhir/DocumentReference/${d.row.id}`;
    await expectContent(principal, built, read, { authorization }, `${label}, read`, false);
    const patient = patientPrincipal(built.patient);
    const patientToken = `Bearer ${await issuePatientAccessToken(ctx, built.patient.id)}`;
    const asPatient = await walkFhir(built.patient.id, s.pageSize, patientToken);
    await expectListing(
      asPatient,
      patient,
      built,
      ['current', 'superseded'],
      s.pageSize,
      'FHIR as the patient, ITI-67',
    );
  }

  async function checkPortal(s: Scenario, built: Built) {
    const spec = s.pros[s.httpPro % s.pros.length]!;
    const principal = professionalPrincipal(shared, spec);
    const label = `portal as ${describePrincipal(principal, built, shared)}`;
    const session = await createProfessionalSession(ctx, shared.professionals[spec.index]!, principal.signIn);
    const cookie = `${PRO_SESSION_COOKIE}=${session}`;
    const base = `/api/pro/patients/${built.patient.id}/documents`;
    await expectListing(
      await walkJson(base, s.pageSize, cookie),
      principal,
      built,
      ['current'],
      s.pageSize,
      label,
    );
    await expectContent(principal, built, (d) => `${base}/${d.row.id}/content`, { cookie }, label);
  }

  async function checkPatientSpace(s: Scenario, built: Built) {
    const base = `/api/patient/record/${built.patient.id}/documents`;
    const people: [InsuredPerson, Principal][] = [[built.patient, patientPrincipal(built.patient)]];
    if (built.representative)
      people.push([
        built.representative,
        patientPrincipal(built.representative, [built.representative.id, built.patient.id]),
      ]);
    for (const [person, principal] of people) {
      const label = `patient space as ${describePrincipal(principal, built, shared)}`;
      const { token } = await createPatientSession(ctx.db, person.id, ctx.clock.now());
      const cookie = `${PATIENT_SESSION_COOKIE}=${token}`;
      const walked = await walkJson(base, s.pageSize, cookie);
      // Only an activated profile has a space (and a representative acts only for an activated minor).
      if (s.profileState !== 'activated') {
        expect([401, 403], `${label}: profile ${s.profileState} (got ${walked.status})`).toContain(
          walked.status,
        );
        continue;
      }
      await expectListing(walked, principal, built, ['current'], s.pageSize, label);
      await expectContent(principal, built, (d) => `${base}/${d.row.id}/content`, { cookie }, label);
    }
  }

  it('never returns, counts or pages a document the policy denies', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        stats.runs++;
        const built = await buildScenario(ctx, shared, s);
        for (const principal of principalsOf(s, built)) {
          const label = describePrincipal(principal, built, shared);
          await checkStoredContext(principal, built, label);
          await checkSearches(principal, s, built, label);
          await checkReads(principal, built, label);
        }
        await checkFhir(s, built);
        await checkPortal(s, built);
        await checkPatientSpace(s, built);
      }),
      { numRuns: NUM_RUNS },
    );
    // The property is only worth something if runs do see documents, both allowed and denied.
    expect(stats.allowedReads, JSON.stringify(stats)).toBeGreaterThan(NUM_RUNS);
    expect(stats.deniedReads, JSON.stringify(stats)).toBeGreaterThan(NUM_RUNS);
    expect(stats.nonEmptySearches, JSON.stringify(stats)).toBeGreaterThan(NUM_RUNS);
    expect(stats.deniedRecords, JSON.stringify(stats)).toBeGreaterThan(NUM_RUNS);
  }, 240_000);
});
