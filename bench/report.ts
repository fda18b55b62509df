import os from 'node:os';
import { percentile } from './load.ts';
import type { DialectFigures, SmtpFigures } from './measure.ts';
import type { BenchOptions } from './options.ts';

const int = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(n >= 10 ? 1 : 2));
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const pad = (s: string, n: number) => s.padStart(n);
const cores = (n: number | undefined) => (n === undefined ? '?' : n.toFixed(2));

/** Other work on the machine skews every figure: say so beside them. */
export function machineLoad(): string {
  const [one, five] = os.loadavg();
  const busy = one! > os.cpus().length / 2;
  return `load average ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min)${busy ? ' — WARNING: the machine is busy with other work; figures are pessimistic' : ''}`;
}

export function header(options: BenchOptions): string[] {
  const cpu = os.cpus();
  const machine = [
    `Carnet benchmark — ${new Date().toISOString()}, Node ${process.version}, ${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'}), ${os.platform()} ${os.release()}`,
    `Machine at start: ${machineLoad()}`,
  ];
  if (options.parts === 'smtp') return [...machine, ...smtpHeader(options)];
  return [
    ...machine,
    `Deposits: ITI-65 transaction Bundles (SubmissionSet List + DocumentReference + Binary holding one ${int(options.pdfBytes)}-byte PDF),`,
    `  POSTed to a \`carnet serve\` child process (default --workers: ${os.availableParallelism()}, one per core) with the demo doctor's`,
    `  bearer token, round-robin over the open demo records;`,
    `  closed loop, ${options.depositRun.seconds} s per level after a warm-up. Included: policy, content encryption + fsyncs, audit trace, outbox e-mail.`,
    `Floors, measured in this run on the same disk with the same durability: a bare insert of one row holding the same bytes,`,
    `  one commit per row with as many writers (SQLite: one connection, so they commit one after another; "group commit" =`,
    `  as many rows per commit as writers), and a bare file create + write + fsync of the same bytes with as many writers`,
    `  (the content store does that plus a rename and a folder fsync).`,
    `ITI-67: GET /fhir/DocumentReference?patient.identifier=…&_count=20 (and with type=), one client, ${options.searchRuns} times after`,
    `  ${options.searchWarmup} warm-up calls; floor: the service's two statements (total + page) sent straight to the database.`,
    ...smtpHeader(options),
  ];
}

function smtpHeader(options: BenchOptions): string[] {
  return [
    `MSSanté SMTP: the demo doctor's message to the searched patient's <INS>@patient.mssante.fr, MIME-encoded once per size`,
    `  (${options.smtpMessageBytes.map((b) => `${int(b)} bytes`).join(', ')}; text alone, or text + a PDF when larger), each send with its own`,
    `  Message-ID; ${options.smtpConcurrency} senders over as many pooled STARTTLS connections (nodemailer, raw bytes) to the`,
    `  \`carnet serve\` gateway; closed loop, ${options.smtpRun.seconds} s per size after a warm-up; a message counts at its 250 (stored`,
    `  durably, attachments encrypted). Floor: the very same bytes, client and connections against a bare smtp-server`,
    `  that writes each message to a file and fsyncs it before its 250 (in its own process, like the gateway).`,
  ];
}

function depositLines(f: DialectFigures): string[] {
  const lines = [
    `Deposits per second (ITI-65)`,
    `  clients  deposits/s  p50 ms  p99 ms  failed | floor: bare insert/s  ${f.dialect === 'sqlite' ? 'group commit/s  ' : ''}file write+fsync/s | share of bare insert (target 50%)`,
  ];
  for (const d of f.deposits) {
    const r = d.http.result;
    const grouped = d.insertFloor.grouped ? pad(int(d.insertFloor.grouped.perSecond), 14) + '  ' : '';
    lines.push(
      `  ${pad(String(d.concurrency), 7)}  ${pad(r.perSecond.toFixed(1), 10)}  ${pad(ms(percentile(r.latencies, 0.5)), 6)}  ${pad(ms(percentile(r.latencies, 0.99)), 6)}  ${pad(String(d.http.failures), 6)} | ${pad(int(d.insertFloor.perCommit.perSecond), 19)}  ${grouped}${pad(int(d.fileFloor.perSecond), 18)} | ${pad(pct(r.perSecond / d.insertFloor.perCommit.perSecond), 6)}`,
    );
  }
  const failure = f.deposits.find((d) => d.http.firstFailure)?.http.firstFailure;
  if (failure) lines.push(`  first failure: ${failure}`);
  lines.push(
    `  (floor settings: ${f.deposits[0]?.insertFloor.settings}; cores used by the server / the load generator: ${f.deposits.map((d) => `${cores(d.serverCores)} / ${cores(d.clientCores)}`).join(', ')})`,
  );
  return lines;
}

function searchLines(f: DialectFigures): string[] {
  if (!f.population) return [];
  const lines = [
    `ITI-67 latency, sequential: a patient with ${int(f.patientDocuments)} documents in a store of ${int(f.storeDocuments)}`,
    `  (${int(f.population.rows)} metadata rows populated in ${f.population.seconds.toFixed(1)} s: ${f.population.method})`,
    `  query                     p50 ms  p99 ms  total | floor: bare SQL (total + page) p50 ms  p99 ms  total | p99 × floor  target p99 ≤ 10 ms`,
  ];
  for (const s of f.searches) {
    const h = s.http.result.latencies;
    const fl = s.floor.result.latencies;
    lines.push(
      `  ${s.search.label.padEnd(24)}  ${pad(ms(percentile(h, 0.5)), 6)}  ${pad(ms(percentile(h, 0.99)), 6)}  ${pad(String(s.http.total), 5)} | ${pad(ms(percentile(fl, 0.5)), 37)}  ${pad(ms(percentile(fl, 0.99)), 6)}  ${pad(String(s.floor.total), 5)} | ${pad(`${(percentile(h, 0.99) / percentile(fl, 0.99)).toFixed(1)}×`, 11)}  ${percentile(h, 0.99) <= 10 ? 'met' : 'missed'}`,
    );
  }
  return lines;
}

function auditLines(f: DialectFigures): string[] {
  if (!f.searchAudit) return [];
  const lines = [
    `Audit's share of request time (appendAudit timed in the same database through Kysely, server stopped, same`,
    `  writers and patient chains: transactions {row insert} vs {row insert + appendAudit} for a deposit,`,
    `  {} vs {appendAudit} for a search, which the trace turns into a durable commit; share = added ms / request ms)`,
  ];
  for (const d of f.deposits) {
    const requestMs = 1000 / d.http.result.perSecond;
    lines.push(
      `  deposit, ${d.concurrency} writers: +${ms(d.audit.perOperationMs)} ms of writer time per deposit (${int(d.audit.without.perSecond)}/s → ${int(d.audit.with.perSecond)}/s) = ${pct(d.audit.perOperationMs / requestMs)} of the ${ms(requestMs)} ms each deposit takes at the measured rate`,
    );
  }
  const p50 = f.searches[0] ? percentile(f.searches[0].http.result.latencies, 0.5) : Number.NaN;
  lines.push(
    `  search, sequential: +${ms(f.searchAudit.perOperationMs)} ms per search = ${pct(f.searchAudit.perOperationMs / p50)} of the ${ms(p50)} ms p50 of ITI-67 ${f.searches[0]?.search.label ?? ''}`,
  );
  return lines;
}

function smtpLines(f: DialectFigures): string[] {
  const lines = [
    `MSSanté SMTP messages accepted per second (professional → patient, ${f.smtp[0]?.concurrency ?? '?'} senders; target: ≥ 50 % of the floor)`,
    `  message bytes  messages/s  p50 ms  p99 ms  failed  server cores | floor: smtp-server + fsync messages/s  p50 ms  failed  server cores | share`,
  ];
  // Accepted: a refused or failed message is no throughput.
  const accepted = (run: SmtpFigures['gateway']) =>
    (run.result.operations - run.failures) / run.result.seconds;
  for (const s of f.smtp) {
    const g = s.gateway.result;
    const fl = s.floor.result;
    const [gateway, floor] = [accepted(s.gateway), accepted(s.floor)];
    lines.push(
      `  ${pad(int(s.messageBytes), 13)}  ${pad(gateway.toFixed(1), 10)}  ${pad(ms(percentile(g.latencies, 0.5)), 6)}  ${pad(ms(percentile(g.latencies, 0.99)), 6)}  ${pad(String(s.gateway.failures), 6)}  ${pad(cores(s.gatewayServerCores), 12)} | ${pad(floor.toFixed(1), 36)}  ${pad(ms(percentile(fl.latencies, 0.5)), 6)}  ${pad(String(s.floor.failures), 6)}  ${pad(cores(s.floorServerCores), 12)} | ${pad(pct(gateway / floor), 5)}`,
    );
  }
  const failure = f.smtp.map((s) => s.gateway.firstFailure ?? s.floor.firstFailure).find(Boolean);
  if (failure) lines.push(`  first failure: ${failure}`);
  lines.push(
    `  (cores used by the load generator during the gateway / floor runs: ${f.smtp.map((s) => `${cores(s.clientCores)} / ${cores(s.floorClientCores)}`).join(', ')})`,
  );
  return lines;
}

export function dialectReport(f: DialectFigures): string[] {
  const title =
    f.dialect === 'sqlite' ? 'SQLite (WAL, synchronous=FULL)' : 'PostgreSQL (synchronous_commit=on)';
  return [
    '',
    `== ${title} ==`,
    ...(f.deposits.length > 0 ? [...depositLines(f), ...searchLines(f), ...auditLines(f)] : []),
    ...smtpLines(f),
    `Machine now: ${machineLoad()}`,
  ];
}
