import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import {
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { seedDemo } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { testDialects, type TestDatabase } from '../../storage/test-databases.ts';
import { registerErrorHandling } from '../errors.ts';
import { registerTerminologyApi } from './terminology-api.ts';

describe.each(testDialects)('the terminology API on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let app: FastifyInstance;
  let doctor: string;
  let patient: string;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    const martin = (await findProfessionalByNationalId(ctx.db, '810001000115'))!;
    doctor = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(ctx, martin)}`;
    const marie = (await findInsuredByIns(ctx.db, '271096912304585' as Ins))!;
    patient = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, marie.id, ctx.clock.now())).token}`;
    app = Fastify({ logger: false });
    await app.register(cookie);
    registerErrorHandling(app);
    await registerTerminologyApi(app, ctx);
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  const known = async (system: string, code: string) => {
    const answer = await app.inject({
      method: 'GET',
      url: `/api/pro/terminology/${encodeURIComponent(system)}/${encodeURIComponent(code)}`,
      headers: { cookie: doctor },
    });
    expect(answer.statusCode).toBe(200);
    return (answer.json() as { known: boolean }).known;
  };

  it('is for signed-in professionals only', async () => {
    for (const headers of [{}, { cookie: patient }]) {
      const answer = await app.inject({ method: 'GET', url: '/api/pro/terminology/CIM-10/E11.9', headers });
      expect(answer.statusCode).toBe(401);
    }
  });

  it('says whether a code exists in the kit’s lists (CIM-10, CCAM, ATC, EDQM)', async () => {
    expect(await known('CIM-10', 'E11.9')).toBe(true);
    expect(await known('CIM-10', 'Z99.99')).toBe(false);
    expect(await known('CCAM', 'DDAF004')).toBe(true);
    expect(await known('ATC', 'A10BA02')).toBe(true);
    expect(await known('ATC', 'A10BA99')).toBe(false);
    expect(await known('EDQM', '20053000')).toBe(true);
  });

  it('checks LOINC and SNOMED CT codes by their check digit, CIS codes by their shape', async () => {
    expect(await known('LOINC', '29463-7')).toBe(true);
    expect(await known('LOINC', '29463-8')).toBe(false);
    expect(await known('SNOMED CT', '416098002')).toBe(true);
    expect(await known('SNOMED CT', '416098003')).toBe(false);
    expect(await known('CIS', '60234100')).toBe(true);
    expect(await known('CIS', '6023410')).toBe(false);
  });

  it('ignores the blanks around a code, as the deposit does', async () => {
    expect(await known('CIM-10', ' E11.9 ')).toBe(true);
  });

  it('refuses a system a VSM item cannot be coded in, in French', async () => {
    const answer = await app.inject({
      method: 'GET',
      url: '/api/pro/terminology/ICD-11/5A11',
      headers: { cookie: doctor },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error).toMatchObject({
      code: 'terminology-unknown',
      message: /Terminologie inconnue/,
    });
  });
});
