/**
 * `npm run replay-review`: replays the outside security review's reproductions (README, "Security") against a
 * running Carnet (`npm start` in another terminal, development mode, demo data) and checks each gets its refusal,
 * while a probe asks `GET /fhir/metadata` every 50 ms and reports the slowest answer (the target is < 100 ms
 * throughout). Prints one line per reproduction and exits 1 when one is not refused or the probe was slow.
 *
 * Only what can be reproduced from outside a development server is here; the reproductions that need a
 * production gateway (client certificates), a browser session or a second database are regression tests in
 * `npm test` (README, "Security").
 *
 * Environment, as the server's: `CARNET_BASE_URL` (default http://localhost:$PORT, PORT 8080), `CARNET_SMTP_PORT`
 * (2525), `CARNET_DATA_DIR` (./data, to measure what an attachment costs on disk).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import yazl from 'yazl';
import { insConditional, provideBundle } from '../src/fhir/mhd-test-bundles.ts';
import { sendWithNodemailer, smtpDialogue as dialogue } from '../src/smtp/test-clients.ts';

const port = Number(process.env.PORT ?? 8080);
const baseUrl = (process.env.CARNET_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
const smtpPort = Number(process.env.CARNET_SMTP_PORT ?? 2525);
const patientDomain = process.env.CARNET_PATIENT_MAIL_DOMAIN ?? 'patient.mssante.fr';
const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = path.resolve(process.env.CARNET_DATA_DIR ?? './data');

/** Bytes under a folder (the server's data folder: what an expanded attachment costs on disk). */
function folderSize(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

interface Outcome {
  readonly item: string;
  readonly what: string;
  readonly refused: boolean;
  readonly seen: string;
}

// ---------------------------------------------------------------- the /fhir/metadata probe

/**
 * The probe runs in a worker thread with its own event loop, so that the replay's own work (300 requests at
 * once, building a zip) never delays a probe and is mistaken for the server's slowness.
 */
const probeSource = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
parentPort.on('message', () => (running = false));
(async () => {
  while (running) {
    const started = performance.now();
    let ok = false;
    try {
      const response = await fetch(workerData.url);
      await response.arrayBuffer();
      ok = response.ok;
    } catch {}
    parentPort.postMessage({ ms: performance.now() - started, ok });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  parentPort.close();
})();
`;

function startProbe() {
  const times: number[] = [];
  let failures = 0;
  let windowMax = 0;
  const worker = new Worker(probeSource, { eval: true, workerData: { url: `${baseUrl}/fhir/metadata` } });
  worker.on('message', ({ ms, ok }: { ms: number; ok: boolean }) => {
    times.push(ms);
    windowMax = Math.max(windowMax, ms);
    if (!ok) failures++;
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  return {
    /** The slowest answer since the previous call. */
    slowestSinceLast() {
      const slowest = windowMax;
      windowMax = 0;
      return slowest;
    },
    async stop() {
      worker.postMessage('stop');
      await exited;
      const sorted = [...times].sort((a, b) => a - b);
      return {
        count: times.length,
        failures,
        p50: sorted[Math.floor(sorted.length / 2)] ?? 0,
        max: sorted.at(-1) ?? 0,
      };
    },
  };
}

type Probe = ReturnType<typeof startProbe>;

// ---------------------------------------------------------------- helpers

function carnet(args: string[]): string {
  return execFileSync(process.execPath, [`${root}bin/carnet.js`, ...args], {
    encoding: 'utf8',
    env: process.env,
  }).trim();
}

async function http(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(init.body !== undefined && typeof init.body !== 'string'
        ? { 'content-type': 'application/json' }
        : {}),
      ...init.headers,
    },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  return { status: response.status, text: await response.text() };
}

/** A message to the gateway through nodemailer, in plain SMTP as a development server accepts it. */
const sendMail = async (message: Parameters<typeof sendWithNodemailer>[1]) => {
  const { code, response } = await sendWithNodemailer({ port: smtpPort }, message);
  return { code, text: response };
};
const smtpDialogue = (commands: readonly string[]) => dialogue(smtpPort, commands);

function zip(files: Record<string, Buffer | string>): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, data] of Object.entries(files))
    archive.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name, { compress: true });
  archive.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}

const short = (text: string) => text.replace(/\s+/g, ' ').slice(0, 140);

// ---------------------------------------------------------------- the reproductions

interface DemoPeople {
  patients: { ins: string; insOid: string; login: string; state: string; vitaleSerial: string }[];
  professionals: { rpps: string; professionCode: string; familyName: string }[];
}

async function reproductions(people: DemoPeople, probe: Probe): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  probe.slowestSinceLast();
  const record = (item: string, what: string, refused: boolean, seen: string) =>
    outcomes.push({
      item,
      what,
      refused,
      seen: `${short(seen)} [metadata ≤ ${probe.slowestSinceLast().toFixed(0)} ms]`,
    });
  const activated = people.patients.filter((p) => p.state === 'activated');
  const marie = activated.find((p) => p.login === 'marie.morel') ?? activated[0]!;
  const dentist = people.professionals.find((p) => p.professionCode === '40')!;
  const mailbox = `${marie.ins}@${patientDomain}`;
  const doctorMail = 'dr.martin@medecin.mssante.fr';

  // 3. A dentist's PDF typed as a VSM.
  const dentistToken = carnet(['dev-token', '--rpps', dentist.rpps]);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const subject = insConditional(marie.insOid, marie.ins);
  const vsmBundle = provideBundle(subject, [
    { bytes: pdf, contentType: 'application/pdf', typeCode: '60591-5', title: 'Synthèse (replay)' },
  ]);
  const deposit = await http('POST', '/fhir', {
    body: JSON.stringify(vsmBundle),
    headers: { authorization: `Bearer ${dentistToken}`, 'content-type': 'application/fhir+json' },
  });
  record(
    '3',
    'a dentist deposits a PDF typed as a VSM',
    deposit.status === 403,
    `${deposit.status} ${deposit.text}`,
  );

  // 16. A bad percent-encoding in a FHIR path.
  const badPath = await http('GET', '/fhir/DocumentReference/%E0%A4%A', {
    headers: { authorization: `Bearer ${dentistToken}` },
  });
  record(
    '16',
    'bad percent-encoding in a FHIR path',
    badPath.status === 400 && badPath.text.includes('OperationOutcome'),
    `${badPath.status} ${badPath.text}`,
  );

  // 16. A NUL in a text field.
  const nul = await http('POST', '/api/patient/session', { body: { login: 'a\u0000b', password: 'x' } });
  record('16', 'a NUL character in a text field', nul.status === 400, `${nul.status} ${nul.text}`);

  // 13. Per-IP limits cannot be dodged with X-Forwarded-For.
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    const attempt = await http('POST', '/api/patient/session', {
      body: { login: `someone-${i}`, password: `wrong-${i}` },
      headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
    });
    statuses.push(attempt.status);
  }
  record(
    '13',
    '40 sign-ins to 40 logins, each with another X-Forwarded-For',
    statuses.includes(429),
    `statuses ${[...new Set(statuses)].join(', ')}`,
  );

  // 13. Activation does not tell a registered NIR from an unknown one without the serial and the code.
  const known = await http('POST', '/api/patient/activation/verify', {
    body: { nir: marie.ins, vitaleSerial: '00000000', code: 'AAAA-AAAA' },
    headers: { 'x-forwarded-for': '198.51.100.1' },
  });
  const unknown = await http('POST', '/api/patient/activation/verify', {
    body: { nir: '180017512345660', vitaleSerial: '00000000', code: 'AAAA-AAAA' },
    headers: { 'x-forwarded-for': '198.51.100.2' },
  });
  record(
    '13',
    'activation check: activated NIR vs unknown NIR, wrong serial',
    known.status === unknown.status && known.text === unknown.text,
    `${known.status} ${known.text} | ${unknown.status} ${unknown.text}`,
  );

  // 13. 300 concurrent bogus sign-ins (the probe watches /fhir/metadata meanwhile).
  const storm = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      http('POST', '/api/patient/session', {
        body: { login: `nobody-${i}`, password: 'not-the-password' },
      }).catch(() => ({ status: 0, text: '' })),
    ),
  );
  const stormStatuses = new Map<number, number>();
  for (const s of storm) stormStatuses.set(s.status, (stormStatuses.get(s.status) ?? 0) + 1);
  record(
    '13',
    '300 concurrent bogus sign-ins',
    stormStatuses.has(429),
    [...stormStatuses].map(([s, n]) => `${n}×${s}`).join(', '),
  );

  // 7. A crafted METADATA.XML (cubic backtracking in the old regular expression).
  const crafted = await zip({
    'IHE_XDM/SUBSET01/METADATA.XML':
      '<rim:Slot name="URI"><rim:ValueList><rim:Value>' + ' '.repeat(2700) + '</rim:ValueList></rim:Slot>',
    'IHE_XDM/SUBSET01/DOC0001.XML': '<x/>',
  });
  const startedXdm = performance.now();
  const xdm = await sendMail({
    from: doctorMail,
    to: mailbox,
    subject: 'Compte rendu',
    text: 'Bonjour',
    attachments: [{ filename: 'IHE_XDM.ZIP', content: crafted }],
  });
  const xdmMs = performance.now() - startedXdm;
  record('7', 'a 2.8 KB crafted XDM METADATA.XML', xdmMs < 2000, `${xdm.code} in ${xdmMs.toFixed(0)} ms`);

  // 8. Six XDM archives of one 45 MB document each (each under the per-archive limit) in one small mail.
  const metadata =
    '<?xml version="1.0"?><lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" ' +
    'xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:RegistryObjectList>' +
    '<rim:ExtrinsicObject id="D1" mimeType="text/xml"><rim:Slot name="URI"><rim:ValueList>' +
    '<rim:Value>DOC0001.XML</rim:Value></rim:ValueList></rim:Slot></rim:ExtrinsicObject>' +
    '</rim:RegistryObjectList></lcm:SubmitObjectsRequest>';
  const bombZip = await zip({
    'IHE_XDM/SUBSET01/METADATA.XML': metadata,
    'IHE_XDM/SUBSET01/DOC0001.XML': Buffer.alloc(45 * 1024 * 1024, 0x20),
  });
  const sizeBefore = folderSize(dataDir);
  const expansion = await sendMail({
    from: doctorMail,
    to: mailbox,
    subject: 'Documents',
    text: 'Bonjour',
    attachments: Array.from({ length: 6 }, () => ({ filename: 'IHE_XDM.ZIP', content: bombZip })),
  });
  const grownMb = (folderSize(dataDir) - sizeBefore) / 1024 / 1024;
  record(
    '8',
    `six XDM archives of 45 MB each, ${((6 * bombZip.length) / 1024).toFixed(0)} KB zipped`,
    grownMb < 30,
    `${expansion.code} ${expansion.text}; data folder grew by ${grownMb.toFixed(1)} MB`,
  );

  // 10. Recipients per transaction.
  const rcpts = Array.from({ length: 150 }, () => `RCPT TO:<${marie.ins}@${patientDomain}>`);
  const many = await smtpDialogue(['EHLO replay.example', `MAIL FROM:<${doctorMail}>`, ...rcpts, 'QUIT']);
  const tooMany = many.filter((reply) => reply.startsWith('452')).length;
  record('10', '150 recipients in one transaction', tooMany > 0, `${tooMany} replies 452`);

  // 10. INS enumeration: unknown recipients in a row.
  const guesses = Array.from(
    { length: 300 },
    (_, i) => `RCPT TO:<${String(180017512300000 + i * 7).padStart(15, '0')}@${patientDomain}>`,
  );
  const startedEnum = performance.now();
  const enumeration = await smtpDialogue([
    'EHLO replay.example',
    `MAIL FROM:<${doctorMail}>`,
    ...guesses,
    'QUIT',
  ]);
  const seconds = (performance.now() - startedEnum) / 1000;
  const answered550 = enumeration.filter((reply) => reply.startsWith('550')).length;
  const rate = answered550 / seconds;
  record(
    '10',
    '300 guessed INS in one session',
    rate < 50 || enumeration.some((reply) => reply.startsWith('421')),
    `${answered550} answers 550 at ${rate.toFixed(0)}/s; last reply ${enumeration.at(-1) ?? ''}`,
  );

  return outcomes;
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const metadata = await fetch(`${baseUrl}/fhir/metadata`).catch(() => undefined);
  if (!metadata?.ok) {
    console.error(`No Carnet answers at ${baseUrl}: start it with \`npm start\` first.`);
    return 2;
  }
  const people = JSON.parse(carnet(['demo-people', '--json'])) as DemoPeople;
  const probe = startProbe();
  const settled = await reproductions(people, probe).then(
    (outcomes) => ({ outcomes }),
    (error: unknown) => ({ error }),
  );
  const stats = await probe.stop();
  if ('error' in settled) throw settled.error;
  const { outcomes } = settled;
  for (const o of outcomes)
    console.log(`${o.refused ? 'refused ' : 'NOT REFUSED'}  item ${o.item.padEnd(3)} ${o.what}: ${o.seen}`);
  const slow = stats.max >= 100 || stats.failures > 0;
  console.log(
    `${slow ? 'SLOW' : 'ok'}  GET /fhir/metadata during the replay: ${stats.count} probes, p50 ${stats.p50.toFixed(1)} ms, ` +
      `max ${stats.max.toFixed(1)} ms, ${stats.failures} failures (target: every probe < 100 ms)`,
  );
  return outcomes.every((o) => o.refused) && !slow ? 0 : 1;
}

process.exitCode = await main();
