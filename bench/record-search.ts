/**
 * `npm run bench -- record-search [sqlite|postgres]`: the portal's record search over a 1,000-document record
 * (docs/features.md, "Searching a record"). A long-term patient's ten years of letters, results, imaging and
 * prescriptions are generated (deterministic), stored as a deposit stores them (blind index included), and the
 * list route is called over HTTP, one request at a time after a warm-up, for a few searches a GP would type, then
 * the patient space's search across documents, messages and profile.
 * Prints p50/p99 per search and database; the target is p99 under 20 ms. Not a timed test: figures on a machine
 * shared with other work are not comparable with a quiet one.
 */
import { randomUUID } from 'node:crypto';
import {
  createPatientSession,
  createProfessionalSession,
  PATIENT_SESSION_COOKIE,
  PRO_SESSION_COOKIE,
} from '../src/auth/index.ts';
import { demoProfessional, patientPrincipal, seedDemo } from '../src/demo/index.ts';
import type { DocumentsQuery } from '../src/http/contracts/record-api.ts';
import { browseOf } from '../src/http/routes/record-browse.ts';
import type { Ins, PatientId } from '../src/identity/index.ts';
import { findInsuredByIns } from '../src/insured/index.ts';
import { searchPatientSpace } from '../src/overview/index.ts';
import { findProfessionalByNationalId } from '../src/professionals/index.ts';
import {
  emptyMetadata,
  insertDocuments,
  searchDocuments,
  type DocumentId,
  type RecordDocument,
} from '../src/record/index.ts';
import { startTestCarnet } from '../src/server/test-server.ts';
import type { Dialect } from '../src/storage/index.ts';

const DOCUMENTS = 1000;
const WARMUP = 20;
const RUNS = 300;

/** A small deterministic generator (mulberry32): the same record on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kinds = [
  {
    type: '34112-3',
    display: 'Lettre de sortie',
    classCode: '10',
    titles: ['Lettre de sortie', 'Compte rendu d’hospitalisation'],
  },
  {
    type: '11488-4',
    display: 'Compte rendu de consultation',
    classCode: '10',
    titles: ['Consultation', 'Compte rendu de consultation'],
  },
  {
    type: '11502-2',
    display: 'CR d’examens biologiques',
    classCode: '11',
    titles: ['Bilan sanguin', 'Hémoglobine glyquée', 'Bilan lipidique', 'NFS plaquettes'],
  },
  {
    type: '18748-4',
    display: 'CR d’imagerie médicale',
    classCode: '31',
    titles: ['Radiographie thorax', 'Échographie cardiaque', 'IRM genou', 'Scanner abdominal'],
  },
  {
    type: '57833-6',
    display: 'Prescription de médicaments',
    classCode: '42',
    titles: ['Ordonnance', 'Renouvellement traitement'],
  },
  { type: '68599-0', display: 'Synthèse psychiatrique', classCode: '11', titles: ['Synthèse psychiatrique'] },
];
const services = [
  'cardiologie',
  'pneumologie',
  'rhumatologie',
  'endocrinologie',
  'médecine interne',
  'urgences',
];
const authors = [
  { id: '810001000115', given: 'Claire', family: 'Martin', structure: 'Cabinet médical du Parc' },
  { id: '810001000818', given: 'Nicolas', family: 'Girard', structure: 'CHU de Lyon' },
  { id: '810001000917', given: 'Thomas', family: 'Lefèvre', structure: 'Clinique Saint-Éloi' },
  { id: '810001000313', given: 'Sophie', family: 'Petit', structure: 'Laboratoire Biomnis' },
];

function generate(patientId: PatientId): RecordDocument[] {
  const next = random(16);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const end = Date.parse('2026-11-30T12:00:00Z');
  const span = 10 * 365 * 24 * 3600 * 1000;
  return Array.from({ length: DOCUMENTS }, () => {
    const kind = pick(kinds);
    const author = pick(authors);
    const created = new Date(end - Math.floor(next() * span));
    const deposited = new Date(created.getTime() + Math.floor(next() * 3 * 24 * 3600 * 1000));
    return {
      id: randomUUID() as DocumentId,
      patientId,
      masterIdentifier: `urn:uuid:${randomUUID()}`,
      typeCode: kind.type,
      typeSystem: 'http://loinc.org',
      typeDisplay: kind.display,
      classCode: kind.classCode,
      title: `${pick(kind.titles)} — ${pick(services)}`,
      author: {
        kind: 'professional',
        nationalId: author.id as never,
        patientId: undefined,
        name: `Dr ${author.given} ${author.family}`,
        givenName: author.given,
        familyName: author.family,
        professionCode: '10' as never,
        specialtyCode: undefined,
        structureNationalId: undefined,
        structureName: author.structure,
      },
      createdAt: created.toISOString().slice(0, 10),
      serviceStart: undefined,
      serviceEnd: undefined,
      depositedAt: deposited.toISOString(),
      status: 'current',
      confidentiality: [],
      hash: '0'.repeat(64),
      size: 1,
      contentType: 'application/pdf',
      replacesId: undefined,
      submissionSetId: undefined,
      metadata: { ...emptyMetadata, confidentialityLevel: 'N' },
    } satisfies RecordDocument;
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function benchDialect(dialect: Dialect): Promise<void> {
  // As in production: answers are not checked against their contract (tests do that).
  const carnet = await startTestCarnet(dialect, { checkResponses: false });
  try {
    await seedDemo(carnet.ctx);
    const patientId = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!.id as PatientId;
    const docs = generate(patientId);
    for (let i = 0; i < docs.length; i += 100)
      await insertDocuments(
        carnet.ctx.config,
        carnet.ctx.db,
        docs.slice(i, i + 100),
        new Date().toISOString(),
      );
    const cookieOf = async (rpps: string) => {
      const professional = await findProfessionalByNationalId(carnet.ctx.db, `8${rpps}`);
      const cookie = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(carnet.ctx, professional!)}`;
      await fetch(`${carnet.url}/api/pro/patients/${patientId}/consent`, {
        method: 'POST',
        headers: { cookie },
      });
      return cookie;
    };
    const gp = await cookieOf('10001000115');
    const dentist = await cookieOf('10001000511');
    const now = carnet.ctx.clock.now();
    const patient = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, patientId, now)).token}`;
    const sixMonthsAgo = new Date(now.getTime() - 183 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const principals = {
      gp: await demoProfessional(carnet.ctx, '10001000115'),
      dentist: await demoProfessional(carnet.ctx, '10001000511'),
      patient: patientPrincipal((await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!),
    };
    const cookies = { gp, dentist, patient };
    const cases: { label: string; who: keyof typeof cookies; params: Record<string, string> }[] = [
      { label: 'first page (no filter)', who: 'gp', params: {} },
      { label: 'q=sortie cardio', who: 'gp', params: { q: 'sortie cardio' } },
      { label: 'q=compte rendu 2025', who: 'gp', params: { q: 'compte rendu 2025' } },
      { label: 'q=martin', who: 'gp', params: { q: 'martin' } },
      { label: 'biology, last 6 months', who: 'gp', params: { type: '11502-2', from: sixMonthsAgo } },
      { label: 'unread=1', who: 'gp', params: { unread: '1' } },
      { label: 'since=last-visit', who: 'gp', params: { since: 'last-visit' } },
      { label: 'dentist q=synthese', who: 'dentist', params: { q: 'synthese' } },
      { label: 'patient q=echo', who: 'patient', params: { q: 'echo' } },
    ];
    console.log(
      `\n${dialect}: ${DOCUMENTS} documents, first page of 50 with facets, ${RUNS} sequential calls per search;` +
        ' HTTP (keep-alive, session, views, JSON) and the search service alone',
    );
    const timed = async (once: () => Promise<void>) => {
      for (let i = 0; i < WARMUP; i++) await once();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await once();
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b);
    };
    const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9);
    for (const { label, who, params } of cases) {
      const base =
        who === 'patient'
          ? `/api/patient/record/${patientId}/documents`
          : `/api/pro/patients/${patientId}/documents`;
      const url = `${base}?${new URLSearchParams({ view: 'list', count: '50', ...params })}`;
      let total = 0;
      const http = await timed(async () => {
        const response = await fetch(`${carnet.url}${url}`, { headers: { cookie: cookies[who] } });
        const body = (await response.json()) as { total: number };
        if (response.status !== 200) throw new Error(`${label}: ${response.status} ${JSON.stringify(body)}`);
        total = body.total;
      });
      const query = {
        patientId,
        browse: browseOf(params as DocumentsQuery, who !== 'patient'),
        facets: true,
        count: 50,
        offset: 0,
      };
      const service = await timed(async () => {
        await searchDocuments(carnet.ctx, principals[who], query);
      });
      console.log(
        `  ${label.padEnd(24)} total ${String(total).padStart(4)}  HTTP p50 ${ms(percentile(http, 50))} p99 ${ms(percentile(http, 99))}` +
          `  service p50 ${ms(percentile(service, 50))} p99 ${ms(percentile(service, 99))}`,
      );
    }
    // The patient space's search across documents, messages and the medical profile (src/overview/search.ts).
    const space = `${carnet.url}/api/patient/record/${patientId}/search?q=echo`;
    let found = 0;
    const across = await timed(async () => {
      const response = await fetch(space, { headers: { cookie: patient } });
      const body = (await response.json()) as { documents: { total: number } };
      if (response.status !== 200)
        throw new Error(`space search: ${response.status} ${JSON.stringify(body)}`);
      found = body.documents.total;
    });
    const service = await timed(async () => {
      await searchPatientSpace(carnet.ctx, principals.patient, patientId, 'echo', 10);
    });
    console.log(
      `  ${'patient space q=echo'.padEnd(24)} total ${String(found).padStart(4)}  HTTP p50 ${ms(percentile(across, 50))} p99 ${ms(percentile(across, 99))}` +
        `  service p50 ${ms(percentile(service, 50))} p99 ${ms(percentile(service, 99))}`,
    );
  } finally {
    await carnet.stop();
  }
}

export async function recordSearchMain(args: readonly string[]): Promise<number> {
  const dialects = (args.length ? args : ['sqlite', 'postgres']) as Dialect[];
  for (const dialect of dialects) await benchDialect(dialect);
  return 0;
}
