import path from 'node:path';
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { demoProfessionals } from '../src/demo/professionals.ts';
import { declareConsent } from '../src/record/index.ts';
import type { Dialect } from '../src/storage/index.ts';
import { auditCostOfDeposit, auditCostOfSearch, type AuditCost } from './audit-share.ts';
import type { BundlePatient } from './bundle.ts';
import { depositor, type DepositRun } from './deposit.ts';
import { fileFsyncFloor, postgresInsertFloor, sqliteInsertFloor, type InsertFloor } from './floor.ts';
import type { LoadResult } from './load.ts';
import type { BenchOptions } from './options.ts';
import { paddedPdf } from './pdf.ts';
import { populateDocuments, type PopulationReport } from './populate.ts';
import { searchFloor, searchLatency, type FloorRun, type SearchCase, type SearchRun } from './search.ts';
import { startServerProcess } from './server.ts';
import { DOCTOR_RPPS, prepareBench, type BenchSetup } from './setup.ts';
import {
  prepareMessage,
  sendMessages,
  startSmtpFloorProcess,
  type PreparedMessage,
  type SmtpMessage,
  waitUntilListening,
} from './smtp.ts';

export interface DepositFigures {
  readonly concurrency: number;
  readonly http: DepositRun;
  /** CPU used during the run, in cores: the load generator (it shares the machine) and the server process. */
  readonly clientCores: number;
  readonly serverCores: number | undefined;
  readonly insertFloor: InsertFloor;
  readonly fileFloor: LoadResult;
  readonly audit: AuditCost;
}

export interface SearchFigures {
  readonly search: SearchCase;
  readonly http: SearchRun;
  readonly floor: FloorRun;
}

export interface SmtpFigures {
  /** Size of each MIME message sent. */
  readonly messageBytes: number;
  readonly withPdf: boolean;
  readonly concurrency: number;
  /** Messages accepted (250) by the MSSanté gateway of a `carnet serve` process. */
  readonly gateway: DepositRun;
  /** The same bytes, client and concurrency against a bare smtp-server writing + fsyncing each one. */
  readonly floor: DepositRun;
  /** Cores used during the gateway's run: by the `carnet serve` process, and by the load generator. */
  readonly gatewayServerCores: number | undefined;
  readonly clientCores: number;
  /** Cores used during the floor's run: by the floor's process, and by the load generator. */
  readonly floorServerCores: number | undefined;
  readonly floorClientCores: number;
}

export interface DialectFigures {
  readonly dialect: Dialect;
  readonly deposits: readonly DepositFigures[];
  /** Rows in `documents` before population: the deposits made through ITI-65 (warm-ups included). */
  readonly depositedRows: number;
  /** Undefined with `--only smtp`, like the deposit and search figures (then empty). */
  readonly population: PopulationReport | undefined;
  readonly storeDocuments: number;
  readonly patientDocuments: number;
  readonly searches: readonly SearchFigures[];
  readonly searchAudit: AuditCost | undefined;
  readonly smtp: readonly SmtpFigures[];
  /** Messages and attachments the gateway stored during the SMTP runs (warm-ups included). */
  readonly smtpStoredMessages: number;
  readonly smtpStoredAttachments: number;
}

export type Print = (...lines: string[]) => void;

const asBundlePatient = (p: BenchSetup['target']): BundlePatient => ({ ins: p.ins, insOid: p.insOid });

async function countRows(setup: BenchSetup, patientId?: string): Promise<number> {
  const query = patientId
    ? sql<{ n: number | string }>`select count(*) as n from documents where patient_id = ${patientId}`
    : sql<{ n: number | string }>`select count(*) as n from documents`;
  const { rows } = await query.execute(setup.ctx.db);
  return Number(rows[0]?.n ?? 0);
}

async function measureFloors(setup: BenchSetup, options: BenchOptions, pdf: Buffer, concurrency: number) {
  const { dataDir, databaseUrl } = setup.database;
  const plan = { concurrency, ...options.floorRun };
  const insertFloor = databaseUrl
    ? await postgresInsertFloor(databaseUrl, pdf, plan)
    : await sqliteInsertFloor(path.join(dataDir, 'floor'), pdf, plan);
  const files = path.join(dataDir, 'floor-files', String(concurrency));
  const fileFloor = await fileFsyncFloor(files, pdf, plan);
  rmSync(files, { recursive: true, force: true });
  return { insertFloor, fileFloor };
}

type DepositLevel = Pick<DepositFigures, 'http' | 'clientCores' | 'serverCores'>;

/** One closed-loop run per concurrency against a fresh server process, after a warm-up. */
async function depositLevels(setup: BenchSetup, options: BenchOptions, pdf: Buffer, print: Print) {
  const server = await startServerProcess(setup.env);
  const patients = setup.depositPatients.map(asBundlePatient);
  const target = { origin: server.origin, token: setup.token, patients, pdf };
  const client = depositor(target, Math.max(...options.concurrency));
  const levels: DepositLevel[] = [];
  try {
    // A deposit is no consent: the doctor declares the searched patient's, as in the surgery, before searching.
    if (setup.doctor.kind !== 'professional') throw new Error('the bench searches as a professional');
    await declareConsent(setup.ctx, setup.doctor, setup.target.id);
    const failure = await client.deposit(asBundlePatient(setup.target));
    if (failure) throw new Error(`the first ITI-65 deposit failed: ${failure}`);
    for (const concurrency of options.concurrency) {
      print(`  deposits with ${concurrency} clients…`);
      await client.run({ concurrency, operations: concurrency * 2 }); // warm-up
      const [cpu, serverCpu] = [process.cpuUsage(), server.cpuSeconds()];
      const http = await client.run({ concurrency, ...options.depositRun });
      const used = process.cpuUsage(cpu);
      const serverUsed = server.cpuSeconds();
      const seconds = http.result.seconds;
      levels.push({
        http,
        clientCores: (used.user + used.system) / 1e6 / seconds,
        serverCores:
          serverCpu === undefined || serverUsed === undefined
            ? undefined
            : (serverUsed - serverCpu) / seconds,
      });
    }
  } finally {
    client.close();
    await server.stop();
  }
  return levels;
}

/** Floors first (nothing else running), then the deposits through the server, then (server stopped) the audit. */
async function measureDeposits(setup: BenchSetup, options: BenchOptions, pdf: Buffer, print: Print) {
  const floors = [];
  for (const concurrency of options.concurrency) {
    print(`  floors at ${concurrency} writers…`);
    floors.push(await measureFloors(setup, options, pdf, concurrency));
  }
  const levels = await depositLevels(setup, options, pdf, print);
  const figures: DepositFigures[] = [];
  for (const [i, concurrency] of options.concurrency.entries()) {
    print(`  audit cost at ${concurrency} writers…`);
    const ids = setup.depositPatients.map((p) => p.id);
    const audit = await auditCostOfDeposit(setup.ctx.db, setup.doctor, ids, {
      concurrency,
      operations: options.auditRun.operations ?? Number.MAX_SAFE_INTEGER,
      seconds: options.auditRun.seconds,
    });
    figures.push({ concurrency, ...levels[i]!, ...floors[i]!, audit });
  }
  return figures;
}

function searchCases(setup: BenchSetup): SearchCase[] {
  const patient = encodeURIComponent(`urn:oid:${setup.target.insOid}|${setup.target.ins}`);
  return [
    { label: '_count=20', query: `patient.identifier=${patient}&_count=20`, typeCode: undefined },
    {
      label: 'type=11488-4&_count=20',
      query: `patient.identifier=${patient}&type=${encodeURIComponent('http://loinc.org|11488-4')}&_count=20`,
      typeCode: '11488-4',
    },
  ];
}

/**
 * E-mails queued and due (sealed, not sent, not waiting for more deposits to join them): what the outbox sends now.
 * The deposits' "new documents" notices wait `CARNET_NOTICE_COALESCE_SECONDS` (10 minutes) and are not counted.
 */
async function queuedEmails(setup: BenchSetup): Promise<number> {
  const now = new Date().toISOString();
  const { rows } = await sql<{
    n: number | string;
  }>`select count(*) as n from outbox where sealed is not null and not_before <= ${now}`.execute(
    setup.ctx.db,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * The deposit runs leave thousands of "new document" e-mails queued; a fresh server sends them at once. Searches
 * are timed after that backlog is gone (up to 2 minutes), so that ITI-67's latency is the search's, not the
 * outbox's (its CPU profile showed the relay's work in the searches' time).
 */
async function drainOutbox(setup: BenchSetup, print: Print): Promise<void> {
  const started = performance.now();
  const queued = await queuedEmails(setup);
  if (queued === 0) return;
  let left = queued;
  while (left > 0 && performance.now() - started < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = await queuedEmails(setup);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  print(`  ${queued.toLocaleString('en')} queued e-mails: ${left} left after ${seconds} s`);
}

async function measureSearches(setup: BenchSetup, options: BenchOptions, print: Print) {
  const counts = { warmup: options.searchWarmup, runs: options.searchRuns };
  const cases = searchCases(setup);
  const runs: SearchRun[] = [];
  const server = await startServerProcess(setup.env);
  try {
    await drainOutbox(setup, print);
    for (const search of cases) {
      print(`  ITI-67 ${search.label}…`);
      runs.push(await searchLatency(server.origin, setup.token, search, counts));
    }
  } finally {
    await server.stop();
  }
  const figures: SearchFigures[] = [];
  for (const [i, search] of cases.entries()) {
    const floorTarget = {
      dialect: setup.ctx.dialect,
      dataDir: setup.database.dataDir,
      databaseUrl: setup.database.databaseUrl,
      patientId: setup.target.id,
      doctorNationalId: setup.doctor.kind === 'professional' ? setup.doctor.nationalId : '',
    };
    figures.push({ search, http: runs[i]!, floor: await searchFloor(floorTarget, search, counts) });
  }
  return figures;
}

async function countStored(setup: BenchSetup): Promise<{ messages: number; attachments: number }> {
  const count = async (table: 'mss_messages' | 'mss_attachments') => {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
      setup.ctx.db,
    );
    return Number(rows[0]?.n ?? 0);
  };
  return { messages: await count('mss_messages'), attachments: await count('mss_attachments') };
}

function coresSince(start: NodeJS.CpuUsage, seconds: number): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6 / seconds;
}

/** Cores a child process used since `before` (CPU seconds), over `seconds`; undefined where unmeasurable. */
function childCores(before: number | undefined, after: number | undefined, seconds: number) {
  return before === undefined || after === undefined ? undefined : (after - before) / seconds;
}

/** The demo doctor's message to the searched patient's MSSanté address. */
function smtpMessage(setup: BenchSetup): SmtpMessage {
  const doctor = demoProfessionals.find((p) => p.rpps === DOCTOR_RPPS);
  if (!doctor) throw new Error('the demo doctor has no MSSanté address');
  return { from: doctor.mssanteAddress, to: `${setup.target.ins}@${setup.ctx.config.patientMailDomain}` };
}

interface SmtpLevel {
  readonly run: DepositRun;
  readonly serverCores: number | undefined;
  readonly clientCores: number;
}

/** A warm-up, then the timed run, with the cores the server and the load generator used meanwhile. */
async function smtpLevel(
  port: number,
  serverCpu: () => number | undefined,
  message: PreparedMessage,
  concurrency: number,
  run: { readonly seconds: number; readonly operations?: number },
): Promise<SmtpLevel> {
  await sendMessages(port, message, { concurrency, operations: concurrency * 2 });
  const [cpu, server] = [process.cpuUsage(), serverCpu()];
  const result = await sendMessages(port, message, { concurrency, ...run });
  const seconds = result.result.seconds;
  return {
    run: result,
    serverCores: childCores(server, serverCpu(), seconds),
    clientCores: coresSince(cpu, seconds),
  };
}

/**
 * Each size's message is built once and sent as is to both: the floor first (its own process, nothing else
 * running), then the gateway of a fresh `carnet serve` process.
 */
async function measureSmtp(setup: BenchSetup, options: BenchOptions, print: Print) {
  const concurrency = options.smtpConcurrency;
  const messages: PreparedMessage[] = [];
  for (const bytes of options.smtpMessageBytes)
    messages.push(await prepareMessage(smtpMessage(setup), bytes));
  const floorDir = path.join(setup.database.dataDir, 'smtp-floor');
  const floors: SmtpLevel[] = [];
  const floor = await startSmtpFloorProcess(floorDir);
  try {
    for (const message of messages) {
      print(`  SMTP floor, ${message.bytes.toLocaleString('en')}-byte messages, ${concurrency} senders…`);
      floors.push(await smtpLevel(floor.port, floor.cpuSeconds, message, concurrency, options.smtpRun));
    }
  } finally {
    await floor.stop();
    rmSync(floorDir, { recursive: true, force: true });
  }
  const server = await startServerProcess(setup.env);
  const port = Number(setup.env.CARNET_SMTP_PORT);
  const figures: SmtpFigures[] = [];
  try {
    await waitUntilListening(port);
    for (const [i, message] of messages.entries()) {
      print(
        `  MSSanté SMTP gateway, ${message.bytes.toLocaleString('en')}-byte messages, ${concurrency} senders…`,
      );
      const gateway = await smtpLevel(port, server.cpuSeconds, message, concurrency, options.smtpRun);
      const bare = floors[i]!;
      figures.push({
        messageBytes: message.bytes,
        withPdf: message.withPdf,
        concurrency,
        gateway: gateway.run,
        floor: bare.run,
        gatewayServerCores: gateway.serverCores,
        clientCores: gateway.clientCores,
        floorServerCores: bare.serverCores,
        floorClientCores: bare.clientCores,
      });
    }
  } finally {
    await server.stop();
  }
  return figures;
}

/** Every figure of one dialect, each beside its floor measured in this same run. */
export async function measureDialect(
  dialect: Dialect,
  options: BenchOptions,
  print: Print,
): Promise<DialectFigures> {
  const setup = await prepareBench(dialect);
  try {
    if (options.parts === 'smtp') {
      const before = await countStored(setup);
      const smtp = await measureSmtp(setup, options, print);
      const after = await countStored(setup);
      return {
        dialect,
        deposits: [],
        depositedRows: await countRows(setup),
        population: undefined,
        storeDocuments: await countRows(setup),
        patientDocuments: await countRows(setup, setup.target.id),
        searches: [],
        searchAudit: undefined,
        smtp,
        smtpStoredMessages: after.messages - before.messages,
        smtpStoredAttachments: after.attachments - before.attachments,
      };
    }
    const pdf = paddedPdf(options.pdfBytes);
    const deposits = await measureDeposits(setup, options, pdf, print);
    const searchAudit = await auditCostOfSearch(setup.ctx.db, setup.doctor, setup.target.id, {
      concurrency: 1,
      operations: options.auditRun.operations ?? Number.MAX_SAFE_INTEGER,
      seconds: options.auditRun.seconds,
    });
    const existing = await countRows(setup);
    const targetHas = await countRows(setup, setup.target.id);
    const targetDocuments = Math.max(0, options.patientDocuments - targetHas);
    print(`  populating ${(options.storeDocuments - existing).toLocaleString('en')} document rows…`);
    const population = await populateDocuments(setup.ctx.db, dialect, setup.ctx.config, {
      targetPatientId: setup.target.id,
      targetDocuments,
      otherDocuments: Math.max(0, options.storeDocuments - existing - targetDocuments),
      otherPatients: options.otherPatients,
    });
    const searches = await measureSearches(setup, options, print);
    // Last: the messages' rows and files must not change the document counts above.
    const before = await countStored(setup);
    const smtp = await measureSmtp(setup, options, print);
    const after = await countStored(setup);
    return {
      dialect,
      deposits,
      depositedRows: existing,
      population,
      storeDocuments: await countRows(setup),
      patientDocuments: await countRows(setup, setup.target.id),
      searches,
      searchAudit,
      smtp,
      smtpStoredMessages: after.messages - before.messages,
      smtpStoredAttachments: after.attachments - before.attachments,
    };
  } finally {
    await setup.database.destroy();
  }
}
