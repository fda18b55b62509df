import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { issuePatientAccessToken } from '../../src/auth/patient-token.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Ins } from '../../src/identity/index.ts';
import { issueDevAccessToken } from '../../src/idp/dev-token.ts';
import { findInsuredByIns } from '../../src/insured/index.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import { testDialects } from '../../src/storage/test-databases.ts';
import { CarnetRefusal, connectLgc } from './lgc.ts';
import { consultationNote, DEMO_AUTHOR, DEMO_OID_ROOT, DEMO_PATIENT_INS } from './main.ts';
import { runConsultation } from './scenario.ts';

const run = promisify(execFile);

describe.each(testDialects)('the demo LGC against Carnet on %s', (dialect) => {
  let carnet: TestCarnet;
  let token: string;
  const lgcWith = (bearer: string) =>
    connectLgc({
      fhirBase: `${carnet.url}/fhir`,
      token: bearer,
      author: DEMO_AUTHOR,
      oidRoot: DEMO_OID_ROOT,
    });

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    token = await issueDevAccessToken(carnet.ctx, { rpps: '10001000115' });
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  it('deposits, finds, retrieves, replaces and masks a note through MHD, each step audited for the patient', async () => {
    const lgc = lgcWith(token);
    const first = await consultationNote('Consultation', 'Examen clinique sans particularité.');
    const corrected = await consultationNote('Consultation (corrigée)', 'TA 12/8.');
    const lines: string[] = [];
    const report = await runConsultation(lgc, DEMO_PATIENT_INS, { first, corrected }, (l) => lines.push(l));

    expect(report.foundAfterDeposit.map((d) => d.id)).toContain(report.deposited);
    expect(report.retrievedBytes).toBe(first.pdf.byteLength);
    const current = report.currentAfterReplace.map((d) => d.id);
    expect(current).toContain(report.replacement);
    expect(current).not.toContain(report.deposited);
    const superseded = await lgc.search(DEMO_PATIENT_INS, { type: first.typeCode, status: 'superseded' });
    expect(superseded.map((d) => d.id)).toContain(report.deposited);
    expect(report.masked).toMatchObject({ id: report.replacement });
    expect(report.masked.securityLabels).toContain('MASQUE_PS');
    expect(lines).toHaveLength(5);

    // What the patient sees of it: one AuditEvent per MHD transaction, naming the software's client.
    const jean = (await findInsuredByIns(carnet.ctx.db, DEMO_PATIENT_INS as Ins))!;
    const response = await fetch(`${carnet.url}/fhir/AuditEvent?patient=Patient/${jean.id}&_count=50`, {
      headers: { authorization: `Bearer ${await issuePatientAccessToken(carnet.ctx, jean.id)}` },
    });
    const events = ((await response.json()) as Bundle<AuditEvent>).entry!.map((e) => e.resource!);
    const codes = events.flatMap((e) => e.subtype?.map((s) => s.code) ?? []);
    for (const code of ['ITI-65', 'ITI-67', 'ITI-68', 'patch']) expect(codes).toContain(code);
  });

  it('tells its user why Carnet refused: an invalid token is a 401', async () => {
    const refusal = await lgcWith(`${token}x`)
      .search(DEMO_PATIENT_INS)
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CarnetRefusal);
    expect(refusal).toMatchObject({ status: 401 });
  });

  it.runIf(dialect === 'sqlite')('runs from the command line as the README says', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'demo-apps/lgc/main.ts'], {
      env: { ...process.env, CARNET_URL: carnet.url, CARNET_TOKEN: token },
    });
    expect(stdout).toMatch(/Document déposé \(ITI-65\)/);
    expect(stdout).toMatch(/Document masqué aux autres professionnels : N, MASQUE_PS/);
  });
});
