/**
 * `npm run soak`: a bounded soak. A mixed load at a multiple (default 100×) of France's national average
 * rates, for a bounded time (default 10 minutes), against one `carnet serve --workers N` child process
 * (default 2) on a fresh PostgreSQL schema; prints, per operation, the target and achieved rates, p50/p99 and
 * the errors, which must be 0. Not part of `npm test`: wall-clock figures never gate CI.
 *
 * The plan (national averages, flat over the day and the year: the multiplier covers the daytime peak):
 * - deposits (ITI-65, one 100 KB PDF): 42.5 M documents a year → 1.35/s;
 * - searches (ITI-67 by patient, _count=20, a third with a type): assumed 3 per deposited document → 4.04/s;
 * - retrievals (ITI-68 GET /fhir/Binary/<id> of a deposited document): assumed 2 per document → 2.70/s;
 * - MSSanté SMTP messages (professional → patient, text + the same PDF): ~84 M a year → 2.66/s;
 * - patient pages (the home page: GET /accueil's HTML and GET /api/patient/me, with a session cookie): 65.7 M
 *   profiles, assumed ~15 M page views a month → 5.79/s.
 * At 100×: 135 deposits/s, 404 searches/s, 270 retrievals/s, 266 messages/s, 579 patient pages/s.
 *
 * Open loop: operations arrive on a fixed schedule (the i-th of a kind at start + i / rate), whatever the
 * server's answers; each kind has a bounded number of connections (its rate × 0.5 s, 4 to 128), arrivals
 * beyond them wait in the generator's queue. Latency runs from the scheduled arrival, so waiting counts.
 * Errors: a non-2xx answer, a refused or failed message, a timeout (30 s), an arrival still waiting 5 s after
 * its time ("dropped": the server did not keep up) and, at the end, anything not finished 30 s after the last
 * arrival. "Late" (reported apart, not an error): started more than 1 s after its arrival.
 * The run passes when there is no error and each kind achieved at least 95 % of its target rate.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { findAccountByPatient } from '../src/auth/patient/accounts.ts';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../src/auth/patient/sessions.ts';
import { demoProfessionals } from '../src/demo/professionals.ts';
import type { PatientId } from '../src/identity/index.ts';
import type { Dialect } from '../src/storage/index.ts';
import { bundleFactory, type BundlePatient } from './bundle.ts';
import { BENCH_POSTGRES_URL, postgresProblem } from './database.ts';
import { httpClient, percentile, type HttpClient } from './load.ts';
import { paddedPdf } from './pdf.ts';
import { machineLoad } from './report.ts';
import { startServerProcess, type ServerProcess } from './server.ts';
import { prepareBench, type BenchSetup } from './setup.ts';

const YEAR_SECONDS = 365 * 24 * 3600;
const MONTH_SECONDS = 30 * 24 * 3600;
const DEPOSITS_PER_SECOND = 42.5e6 / YEAR_SECONDS;

export type SoakKind = 'deposit' | 'search' | 'retrieve' | 'smtp' | 'patient-page';

/** The national average rate of each kind of operation, and where it comes from. */
export const nationalRates: readonly { kind: SoakKind; perSecond: number; basis: string }[] = [
  { kind: 'deposit', perSecond: DEPOSITS_PER_SECOND, basis: '42.5 M documents deposited a year (ITI-65)' },
  { kind: 'search', perSecond: 3 * DEPOSITS_PER_SECOND, basis: 'assumed 3 searches per document (ITI-67)' },
  {
    kind: 'retrieve',
    perSecond: 2 * DEPOSITS_PER_SECOND,
    basis: 'assumed 2 retrievals per document (ITI-68)',
  },
  { kind: 'smtp', perSecond: 84e6 / YEAR_SECONDS, basis: '~84 M MSSanté messages a year (SMTP, one PDF)' },
  {
    kind: 'patient-page',
    perSecond: 15e6 / MONTH_SECONDS,
    basis: '65.7 M profiles, assumed ~15 M home page views a month (HTML + /api/patient/me)',
  },
];

export interface SoakOptions {
  readonly seconds: number;
  readonly rateMultiplier: number;
  readonly workers: number;
  readonly dialect: Dialect;
  readonly pdfBytes: number;
  /**
   * Deposits made before the clock starts (documents to retrieve from the first second), one per patient at
   * least (the doctor's care relation).
   */
  readonly prefillDeposits: number;
}

export const defaultSoakOptions: SoakOptions = {
  seconds: 600,
  rateMultiplier: 100,
  workers: 2,
  dialect: 'postgres',
  pdfBytes: 100 * 1024,
  prefillDeposits: 32,
};

const REQUEST_TIMEOUT_MS = 30_000;
const GIVE_UP_MS = 5_000;
const LATE_MS = 1_000;
const DRAIN_MS = 30_000;

export interface KindFigures {
  readonly kind: SoakKind;
  readonly targetPerSecond: number;
  readonly connections: number;
  readonly arrived: number;
  readonly ok: number;
  readonly achievedPerSecond: number;
  /** Milliseconds from the scheduled arrival to the end, of the successful operations. */
  readonly latencies: number[];
  readonly late: number;
  readonly failed: number;
  readonly dropped: number;
  readonly unfinished: number;
  /** Distinct error messages (trimmed) and how often each happened. */
  readonly errorMessages: ReadonlyMap<string, number>;
}

export interface SoakFigures {
  readonly seconds: number;
  readonly kinds: readonly KindFigures[];
  readonly errors: number;
  readonly passed: boolean;
  /** Rows the database holds for the acknowledged deposits and messages (each must have been stored). */
  readonly storedDocuments: number;
  readonly storedAttachments: number;
  readonly clientCores: number;
  readonly serverCores: number | undefined;
}

/**
 * The open-loop runner of one kind: arrivals start at once while a connection is free, else wait in order;
 * one that waited more than GIVE_UP_MS is dropped.
 */
class Lane {
  arrived = 0;
  ok = 0;
  failed = 0;
  dropped = 0;
  late = 0;
  inFlight = 0;
  lastEnd = 0;
  readonly latencies: number[] = [];
  readonly errorMessages = new Map<string, number>();
  private readonly queue: number[] = [];
  private head = 0;

  constructor(
    readonly kind: SoakKind,
    readonly perSecond: number,
    readonly connections: number,
    private readonly operation: () => Promise<void>,
  ) {}

  arrive(due: number): void {
    this.arrived++;
    this.queue.push(due);
    this.pump();
  }

  get waiting(): number {
    return this.queue.length - this.head;
  }

  private error(message: string): void {
    const key = message.replace(/\s+/g, ' ').slice(0, 160);
    this.errorMessages.set(key, (this.errorMessages.get(key) ?? 0) + 1);
  }

  private pump(): void {
    while (this.inFlight < this.connections && this.head < this.queue.length) {
      const due = this.queue[this.head++]!;
      if (this.head > 4096) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      const now = performance.now();
      if (now - due > GIVE_UP_MS) {
        this.dropped++;
        this.error(`dropped: not started within ${GIVE_UP_MS / 1000} s of its arrival`);
        continue;
      }
      if (now - due > LATE_MS) this.late++;
      this.inFlight++;
      this.operation().then(
        () => {
          const end = performance.now();
          this.ok++;
          this.latencies.push(end - due);
          this.done(end);
        },
        (error: unknown) => {
          this.failed++;
          this.error(error instanceof Error ? error.message : String(error));
          this.done(performance.now());
        },
      );
    }
  }

  private done(end: number): void {
    this.inFlight--;
    this.lastEnd = Math.max(this.lastEnd, end);
    this.pump();
  }
}

/** Connections per kind: enough to keep up while each operation takes up to 500 ms. */
const connectionsFor = (perSecond: number) => Math.min(128, Math.max(4, Math.ceil(perSecond * 0.5)));

/** What an error answer says: an OperationOutcome's text or diagnostics, the API's message, else its start. */
function why(body: string): string {
  try {
    const parsed = JSON.parse(body) as {
      issue?: { code?: string; diagnostics?: string; details?: { text?: string } }[];
      error?: { code?: string; message?: string };
    };
    const issue = parsed.issue?.[0];
    if (issue) return `${issue.code ?? ''} ${issue.details?.text ?? issue.diagnostics ?? ''}`;
    if (parsed.error) return `${parsed.error.code ?? ''} ${parsed.error.message ?? ''}`;
  } catch {
    // Not JSON.
  }
  return body.slice(0, 120);
}

const ok2xx = (what: string, answer: { status: number; body: string }) => {
  if (answer.status < 200 || answer.status >= 300)
    throw new Error(`${what}: HTTP ${answer.status} ${why(answer.body)}`);
};

/** One raw MIME message (text + the PDF), its base64 made once; each message gets its own Message-ID. */
function mimeFactory(pdf: Buffer): (from: string, to: string) => string {
  const base64 = pdf.toString('base64').replace(/.{76}/g, '$&\r\n');
  const body = [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="soak-boundary"',
    '',
    '--soak-boundary',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bonjour,',
    '',
    'Vous trouverez ci-joint le compte rendu de votre consultation.',
    '',
    '--soak-boundary',
    'Content-Type: application/pdf; name="compte-rendu.pdf"',
    'Content-Disposition: attachment; filename="compte-rendu.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    base64,
    '--soak-boundary--',
    '',
  ].join('\r\n');
  return (from, to) =>
    [
      `From: ${from}`,
      `To: ${to}`,
      'Subject: Compte rendu de consultation',
      `Message-ID: <${randomUUID()}@soak.carnet.invalid>`,
      `Date: ${new Date().toUTCString()}`,
      body,
    ].join('\r\n');
}

interface Workload {
  readonly operations: Record<SoakKind, () => Promise<void>>;
  /** Deposits made before the clock starts, so that retrievals and searches have documents from the start. */
  prefill(count: number): Promise<void>;
  close(): void;
}

/** The five kinds of operations against one server, each kind with its own connections. */
async function workload(
  setup: BenchSetup,
  server: ServerProcess,
  pdf: Buffer,
  connections: Record<SoakKind, number>,
) {
  const clients = new Map<SoakKind, HttpClient>();
  const http = (kind: SoakKind) => {
    const client = clients.get(kind) ?? httpClient(server.origin, connections[kind], REQUEST_TIMEOUT_MS);
    clients.set(kind, client);
    return client;
  };
  const patients = [setup.target, ...setup.depositPatients];
  const bundlePatients: BundlePatient[] = patients.map((p) => ({ ins: p.ins, insOid: p.insOid }));
  const makeBundle = bundleFactory(pdf);
  const bearer = { authorization: `Bearer ${setup.token}` };
  const documentIds: string[] = [];
  let deposits = 0;
  let searches = 0;
  let retrievals = 0;
  let messages = 0;
  let pages = 0;

  const deposit = async () => {
    const patient = bundlePatients[deposits++ % bundlePatients.length]!;
    const answer = await http('deposit').post(
      '/fhir',
      { ...bearer, 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
      makeBundle(patient),
    );
    ok2xx('ITI-65', answer);
    const id = /"location":"[^"]*DocumentReference\/([^"/]+)/.exec(answer.body)?.[1];
    if (!id) throw new Error('ITI-65: no DocumentReference location in the transaction-response');
    documentIds.push(id);
  };

  const search = async () => {
    const i = searches++;
    const p = bundlePatients[i % bundlePatients.length]!;
    const type = i % 3 === 2 ? `&type=${encodeURIComponent('http://loinc.org|11488-4')}` : '';
    const query = `patient.identifier=${encodeURIComponent(`urn:oid:${p.insOid}|${p.ins}`)}${type}&_count=20`;
    const answer = await http('search').get(`/fhir/DocumentReference?${query}`, {
      ...bearer,
      accept: 'application/fhir+json',
    });
    ok2xx('ITI-67', answer);
  };

  const retrieve = async () => {
    // Spread over every document deposited so far, newest and oldest alike (a multiplicative stride).
    const id = documentIds[(retrievals++ * 7919) % documentIds.length];
    if (id === undefined) throw new Error('ITI-68: no document deposited yet');
    const answer = await http('retrieve').get(`/fhir/Binary/${id}`, { ...bearer, accept: 'application/pdf' });
    ok2xx('ITI-68', answer);
    if (answer.status === 200 && !answer.body.startsWith('%PDF')) throw new Error('ITI-68: not the PDF');
  };

  const smtpPort = Number(setup.env.CARNET_SMTP_PORT);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: connections.smtp,
    maxMessages: Number.POSITIVE_INFINITY,
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    requireTLS: true,
    // The development gateway's certificate is self-signed.
    tls: { rejectUnauthorized: false },
  });
  const senders = demoProfessionals.map((p) => p.mssanteAddress);
  const recipients = patients.map((p) => `${p.ins}@${setup.ctx.config.patientMailDomain}`);
  const mime = mimeFactory(pdf);
  const smtp = async () => {
    const i = messages++;
    const from = senders[i % senders.length]!;
    const to = recipients[i % recipients.length]!;
    const info = await transport.sendMail({ envelope: { from, to: [to] }, raw: mime(from, to) });
    if (!info.response.startsWith('250')) throw new Error(`SMTP: ${info.response}`);
  };

  // Patients with an account sign in once (a session each, made in the database as the one-time code step
  // would; a minor's profile has no account of its own) and browse.
  const cookies: string[] = [];
  for (const p of patients) {
    if (p.profileState !== 'activated' || !(await findAccountByPatient(setup.ctx.db, p.id as PatientId)))
      continue;
    const { token } = await createPatientSession(setup.ctx.db, p.id as PatientId, new Date());
    cookies.push(`${PATIENT_SESSION_COOKIE}=${token}`);
  }
  if (cookies.length === 0) throw new Error('no demo patient with an account to sign in');
  const patientPage = async () => {
    const cookie = cookies[pages++ % cookies.length]!;
    const html = await http('patient-page').get('/accueil', { cookie, accept: 'text/html' });
    ok2xx('GET /accueil', html);
    const me = await http('patient-page').get('/api/patient/me', { cookie, accept: 'application/json' });
    ok2xx('GET /api/patient/me', me);
  };

  return {
    operations: { deposit, search, retrieve, smtp, 'patient-page': patientPage },
    /** At least one deposit per patient: the first records the doctor's care relation, which searches need. */
    prefill: async (atLeast: number) => {
      const count = Math.max(atLeast, bundlePatients.length);
      for (let i = 0; i < count; i += 8)
        await Promise.all(Array.from({ length: Math.min(8, count - i) }, deposit));
    },
    close: () => {
      for (const client of clients.values()) client.close();
      transport.close();
    },
  } satisfies Workload;
}

async function countRows(setup: BenchSetup, table: 'documents' | 'mss_attachments'): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
    setup.ctx.db,
  );
  return Number(rows[0]?.n ?? 0);
}

export type Print = (...lines: string[]) => void;

/** Builds the web apps when they are missing: the patient page is the app's HTML. */
function ensureWebBuilt(print: Print): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (existsSync(path.join(root, 'dist', 'web', 'patient', 'index.html'))) return;
  print('Building the web apps (npm run build:web)…');
  const built = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:web failed');
}

/** Runs the soak and gives every figure; `print` gets the progress lines. */
export async function runSoak(options: SoakOptions, print: Print): Promise<SoakFigures> {
  ensureWebBuilt(print);
  const setup = await prepareBench(options.dialect);
  const cleanups: (() => Promise<void> | void)[] = [() => setup.database.destroy()];
  try {
    const pdf = paddedPdf(options.pdfBytes);
    const server = await startServerProcess(setup.env, [], ['--workers', String(options.workers)]);
    cleanups.unshift(() => server.stop());
    const rates = nationalRates.map((r) => ({ ...r, perSecond: r.perSecond * options.rateMultiplier }));
    const connections = Object.fromEntries(rates.map((r) => [r.kind, connectionsFor(r.perSecond)])) as Record<
      SoakKind,
      number
    >;
    const work = await workload(setup, server, pdf, connections);
    cleanups.unshift(() => work.close());
    // The doctor's first deposit for each patient records the care relation; then a few documents to read.
    print(`Prefilling: ${options.prefillDeposits} deposits or more (one per patient at least)…`);
    await work.prefill(options.prefillDeposits);
    const documentsBefore = await countRows(setup, 'documents');
    const attachmentsBefore = await countRows(setup, 'mss_attachments');

    const lanes = rates.map(
      (r) => new Lane(r.kind, r.perSecond, connections[r.kind], work.operations[r.kind]),
    );
    print(`Soaking for ${options.seconds} s…`);
    const cpu = process.cpuUsage();
    const serverCpu = server.treeCpuSeconds();
    const started = performance.now();
    const end = started + options.seconds * 1000;
    // Each kind's i-th arrival is due at started + (i + phase) / rate; phases spread the kinds apart.
    const next = lanes.map((lane, k) => started + ((k / lanes.length) * 1000) / lane.perSecond);
    const counts = lanes.map(() => 0);
    let lastReport = started;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        for (const [k, lane] of lanes.entries()) {
          while (next[k]! <= now && next[k]! < end) {
            lane.arrive(next[k]!);
            counts[k]!++;
            next[k] = started + ((counts[k]! + k / lanes.length) * 1000) / lane.perSecond;
          }
        }
        if (now - lastReport >= 60_000) {
          lastReport = now;
          const status = lanes.map((l) => `${l.kind} ${l.ok} ok/${l.arrived}`).join(', ');
          print(`  ${((now - started) / 1000).toFixed(0)} s: ${status}; ${machineLoad()}`);
        }
        if (now >= end) resolve();
        else setTimeout(tick, 2);
      };
      tick();
    });
    const drainUntil = performance.now() + DRAIN_MS;
    while (lanes.some((l) => l.inFlight > 0 || l.waiting > 0) && performance.now() < drainUntil)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const finished = performance.now();
    const used = process.cpuUsage(cpu);
    const serverUsed = server.treeCpuSeconds();
    const wall = (finished - started) / 1000;

    const kinds = lanes.map((lane): KindFigures => {
      const unfinished = lane.inFlight + lane.waiting;
      if (unfinished > 0)
        lane.errorMessages.set(`unfinished ${DRAIN_MS / 1000} s after the last arrival`, unfinished);
      const seconds = (Math.max(lane.lastEnd, end) - started) / 1000;
      return {
        kind: lane.kind,
        targetPerSecond: lane.perSecond,
        connections: lane.connections,
        arrived: lane.arrived,
        ok: lane.ok,
        achievedPerSecond: lane.ok / seconds,
        latencies: lane.latencies,
        late: lane.late,
        failed: lane.failed,
        dropped: lane.dropped,
        unfinished,
        errorMessages: lane.errorMessages,
      };
    });
    const errors = kinds.reduce((n, k) => n + k.failed + k.dropped + k.unfinished, 0);
    const passed = errors === 0 && kinds.every((k) => k.achievedPerSecond >= 0.95 * k.targetPerSecond);
    const okOf = (kind: SoakKind) => kinds.find((k) => k.kind === kind)?.ok ?? 0;
    // Read before the server stops: nothing is in flight any more, unless `unfinished` says so.
    const storedDocuments = (await countRows(setup, 'documents')) - documentsBefore;
    const storedAttachments = (await countRows(setup, 'mss_attachments')) - attachmentsBefore;
    if (storedDocuments < okOf('deposit'))
      print(`WARNING: ${okOf('deposit')} deposits acknowledged but ${storedDocuments} documents stored`);
    return {
      seconds: wall,
      kinds,
      errors,
      passed,
      storedDocuments,
      storedAttachments,
      clientCores: (used.user + used.system) / 1e6 / wall,
      serverCores:
        serverCpu === undefined || serverUsed === undefined ? undefined : (serverUsed - serverCpu) / wall,
    };
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

const pad = (s: string, n: number) => s.padStart(n);
const ms = (n: number) => (Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const rate = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));

export function soakHeader(options: SoakOptions): string[] {
  const cpu = os.cpus();
  return [
    `Carnet soak — ${new Date().toISOString()}, Node ${process.version}, ${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'})`,
    `Machine at start: ${machineLoad()}`,
    `Server: carnet serve --workers ${options.workers}, ${options.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}, fresh database with the demo people.`,
    `Plan: ${options.seconds} s at ${options.rateMultiplier}× the national average rates (flat over day and year), open loop:`,
    ...nationalRates.map(
      (r) =>
        `  ${r.kind.padEnd(12)} ${pad(rate(r.perSecond * options.rateMultiplier), 7)}/s  (${rate(r.perSecond)}/s national: ${r.basis})`,
    ),
    `  Deposits and messages carry one ${Math.round(options.pdfBytes / 1024)} KB PDF each; searches cover the patients deposited for.`,
    `Arrivals on a fixed schedule; connections per kind = rate × 0.5 s (4 to 128), more arrivals wait in the generator.`,
    `Latency from the scheduled arrival. Errors: non-2xx / refused message, timeout (${REQUEST_TIMEOUT_MS / 1000} s), dropped (not started`,
    `  within ${GIVE_UP_MS / 1000} s), unfinished ${DRAIN_MS / 1000} s after the end. Late (not an error): started over ${LATE_MS / 1000} s after arrival.`,
    `Pass: no error, and each kind achieved at least 95 % of its target rate.`,
  ];
}

export function soakReport(figures: SoakFigures): string[] {
  const lines = [
    '',
    `  operation     target/s  achieved/s  arrived       ok  p50 ms  p99 ms     late  errors (failed/dropped/unfinished)`,
  ];
  for (const k of figures.kinds) {
    const errors = k.failed + k.dropped + k.unfinished;
    lines.push(
      `  ${k.kind.padEnd(12)}  ${pad(rate(k.targetPerSecond), 8)}  ${pad(rate(k.achievedPerSecond), 10)}  ${pad(String(k.arrived), 7)}  ${pad(String(k.ok), 7)}  ${pad(ms(percentile(k.latencies, 0.5)), 6)}  ${pad(ms(percentile(k.latencies, 0.99)), 6)}  ${pad(String(k.late), 7)}  ${pad(String(errors), 6)} (${k.failed}/${k.dropped}/${k.unfinished})`,
    );
  }
  for (const k of figures.kinds) {
    const top = [...k.errorMessages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    for (const [message, count] of top) lines.push(`  ${k.kind} error ×${count}: ${message}`);
  }
  const cores = figures.serverCores === undefined ? '?' : figures.serverCores.toFixed(2);
  lines.push(
    `  Stored during the soak: ${figures.storedDocuments} documents, ${figures.storedAttachments} message attachments.`,
    `  Cores used: server (all processes) ${cores}, load generator ${figures.clientCores.toFixed(2)} (same machine).`,
    `Machine now: ${machineLoad()}`,
    figures.passed
      ? `PASS: 0 errors, every operation at its target rate, over ${figures.seconds.toFixed(0)} s.`
      : `FAIL: ${figures.errors} errors${
          figures.kinds.some((k) => k.achievedPerSecond < 0.95 * k.targetPerSecond)
            ? '; below target: ' +
              figures.kinds
                .filter((k) => k.achievedPerSecond < 0.95 * k.targetPerSecond)
                .map((k) => `${k.kind} ${rate(k.achievedPerSecond)}/${rate(k.targetPerSecond)}/s`)
                .join(', ')
            : ''
        }.`,
  );
  return lines;
}

export const soakUsage = `Usage: npm run soak -- [--minutes 10] [--rate-multiplier 100] [--workers 2] [--dialect postgres|sqlite] [--pdf-kb 100]`;

function positive(value: string, name: string, integer = false): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isSafeInteger(n)))
    throw new Error(`--${name} expects a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  return n;
}

export function parseSoakArgs(args: readonly string[]): SoakOptions | 'help' {
  const { values } = parseArgs({
    args: [...args],
    options: {
      minutes: { type: 'string' },
      'rate-multiplier': { type: 'string' },
      workers: { type: 'string' },
      dialect: { type: 'string' },
      'pdf-kb': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values.dialect !== undefined && values.dialect !== 'sqlite' && values.dialect !== 'postgres')
    throw new Error('--dialect is postgres or sqlite');
  return {
    seconds:
      values.minutes === undefined ? defaultSoakOptions.seconds : positive(values.minutes, 'minutes') * 60,
    rateMultiplier:
      values['rate-multiplier'] === undefined
        ? defaultSoakOptions.rateMultiplier
        : positive(values['rate-multiplier'], 'rate-multiplier'),
    workers:
      values.workers === undefined ? defaultSoakOptions.workers : positive(values.workers, 'workers', true),
    dialect: values.dialect ?? defaultSoakOptions.dialect,
    pdfBytes:
      values['pdf-kb'] === undefined
        ? defaultSoakOptions.pdfBytes
        : positive(values['pdf-kb'], 'pdf-kb', true) * 1024,
    prefillDeposits: defaultSoakOptions.prefillDeposits,
  };
}

/** `npm run soak`: exit code 0 when it passes, 1 when it does not, 2 on a usage error. */
export async function soakMain(args: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseSoakArgs(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error, `\n${soakUsage}`);
    return 2;
  }
  if (options === 'help') {
    console.log(soakUsage);
    return 0;
  }
  const print: Print = (...lines) => console.log(lines.join('\n'));
  print(...soakHeader(options));
  if (options.dialect === 'postgres') {
    const problem = await postgresProblem();
    if (problem) {
      print(`PostgreSQL does not answer at ${BENCH_POSTGRES_URL} (${problem}).`);
      return 1;
    }
  }
  const figures = await runSoak(options, print);
  print(...soakReport(figures));
  return figures.passed ? 0 : 1;
}
