import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
} from '../auth/index.ts';
import { loadConfig } from '../config/index.ts';
import { seedDemo } from '../demo/index.ts';
import { provideBundle } from '../fhir/mhd-test-bundles.ts';
import type { Ins } from '../identity/index.ts';
import { issueDevAccessToken } from '../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { findProfessionalByNationalId } from '../professionals/index.ts';
import { systemClock } from '../shared/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { buildApp } from './app.ts';

/** A multipart body as a browser's FormData sends it, with field values given as bytes. */
function multipart(fields: Record<string, Buffer>, file: Buffer, fileType = 'application/pdf') {
  const boundary = '----carnet-guard-boundary';
  const parts = Object.entries(fields).flatMap(([name, value]) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
    value,
    Buffer.from('\r\n'),
  ]);
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="note"\r\nContent-Type: ${fileType}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A PDF whose bytes include a NUL and bytes that are not UTF-8: a file's contents are binary, never refused. */
const binaryPdf = Buffer.concat([
  Buffer.from('%PDF-1.4\n%'),
  Buffer.from([0x00, 0xff, 0xfe, 0xe2]),
  Buffer.from('\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
]);

/** A well-formed CDA R2 document whose narrative nests `depth` `content` elements. */
const nestedCda = (depth: number) =>
  Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3">' +
      '<id root="1.2.250.1.999" extension="deep-1"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/>' +
      '<title>Compte rendu</title><effectiveTime value="20240105"/><component><structuredBody><component>' +
      `<section><text><paragraph>${'<content>'.repeat(depth)}x${'</content>'.repeat(depth)}</paragraph></text>` +
      '</section></component></structuredBody></component></ClinicalDocument>',
  );

const utf8With = (before: string, bytes: number[], after = '') =>
  Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);

// Security review regression: fails on 027241f, before the fix.
describe.each(testDialects)('input guard on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let jean: InsuredPerson;
  let patientCookie: string;
  let proCookie: string;
  let bearer: string;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({
      CARNET_DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    });
    const ctx = { config, db: database.db, dialect, clock: systemClock };
    await seedDemo(ctx);
    app = await buildApp(ctx, { logger: false });
    jean = (await findInsuredByIns(ctx.db, '168047505611243' as Ins))!;
    const now = new Date();
    patientCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, jean.id, now)).token}`;
    const martin = await findProfessionalByNationalId(ctx.db, '810001000115');
    proCookie = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(ctx, martin!)}`;
    bearer = `Bearer ${await issueDevAccessToken(ctx, { rpps: '10001000115' })}`;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  const jsonError = (response: { json(): unknown }) =>
    (response.json() as { error: { code: string; field?: string } }).error;
  const outcome = (response: { json(): unknown }) => {
    const issue = (
      response.json() as {
        resourceType: string;
        issue: { details: { coding: { code: string }[] }; expression?: string[] }[];
      }
    ).issue[0]!;
    return { code: issue.details.coding[0]!.code, expression: issue.expression?.[0] };
  };
  const documentCount = async () =>
    Number(
      (
        await database.db
          .selectFrom('documents')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a NUL or bytes that are not UTF-8 in a JSON text field, naming it, and stores nothing', async () => {
    const events = `/api/patient/agenda/${jean.id}/events`;
    const post = (payload: Buffer) =>
      app.inject({
        method: 'POST',
        url: events,
        headers: { cookie: patientCookie, 'content-type': 'application/json' },
        payload,
      });
    const event = (title: string) =>
      JSON.stringify({ kind: 'appointment', title, start: '2026-12-02T10:00:00+01:00' });
    const nul = await post(Buffer.from(event('Pédiatre\u0000caché')));
    expect([nul.statusCode, jsonError(nul)]).toEqual([
      400,
      expect.objectContaining({ code: 'text-nul', field: 'title' }),
    ]);
    // JSON.parse would have read 0xFF as U+FFFD and stored a title the patient never typed.
    const bad = await post(
      utf8With(
        '{"kind":"appointment","title":"P',
        [0xff, 0xe9],
        'diatre","start":"2026-12-02T10:00:00+01:00"}',
      ),
    );
    expect([bad.statusCode, jsonError(bad)]).toEqual([
      400,
      expect.objectContaining({ code: 'text-encoding-invalid', field: 'title' }),
    ]);
    const surrogate = await post(Buffer.from(event('P\ud800diatre')));
    expect([surrogate.statusCode, jsonError(surrogate)]).toEqual([
      400,
      expect.objectContaining({ code: 'text-encoding-invalid', field: 'title' }),
    ]);
    const agenda = await app.inject({
      url: `/api/patient/agenda/${jean.id}`,
      headers: { cookie: patientCookie },
    });
    expect(agenda.body).not.toContain('diatre');
    // A well-encoded title still goes through.
    expect((await post(Buffer.from(event('Pédiatre')))).statusCode).toBe(201);
  });

  it('refuses them in a FHIR body with an OperationOutcome naming the element, and deposits nothing', async () => {
    const before = await documentCount();
    const bundle = provideBundle(`Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|${jean.ins}`, [
      {
        bytes: binaryPdf,
        contentType: 'application/pdf',
        typeCode: '11488-4',
        title: 'Compte rendu\u0000',
      },
    ]);
    const response = await app.inject({
      method: 'POST',
      url: '/fhir',
      headers: { authorization: bearer, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(bundle),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(outcome(response)).toEqual({ code: 'text-nul', expression: 'entry[1].resource.description' });
    expect(await documentCount()).toBe(before);
  });

  it('checks the text fields of a multipart form, not its file, and stores nothing refused', async () => {
    const upload = (title: Buffer) => {
      const body = multipart({ title, type: Buffer.from('11488-4') }, binaryPdf);
      return app.inject({
        method: 'POST',
        url: `/api/pro/patients/${jean.id}/documents`,
        headers: { cookie: proCookie, 'content-type': body.contentType },
        payload: body.payload,
      });
    };
    const before = await documentCount();
    const nul = await upload(Buffer.from('Compte rendu\u0000'));
    expect([nul.statusCode, jsonError(nul)]).toEqual([
      400,
      expect.objectContaining({ code: 'text-nul', field: 'title' }),
    ]);
    const bad = await upload(utf8With('Compte rendu ', [0xc3, 0x28]));
    expect([bad.statusCode, jsonError(bad)]).toEqual([
      400,
      expect.objectContaining({ code: 'text-encoding-invalid', field: 'title' }),
    ]);
    expect(await documentCount()).toBe(before);
    expect((await upload(Buffer.from('Compte rendu'))).statusCode).toBe(201);
  });

  it('refuses bad escapes and NUL in url-encoded forms, query strings and path segments', async () => {
    for (const [payload, code] of [
      ['grant_type=%FF', 'text-encoding-invalid'],
      ['grant_type=authorization_code%00', 'text-nul'],
    ]) {
      const form = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      expect([form.statusCode, jsonError(form)]).toEqual([
        400,
        expect.objectContaining({ code, field: 'grant_type' }),
      ]);
    }
    const search = await app.inject({
      url: '/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.8%7C%E0%A4',
      headers: { authorization: bearer },
    });
    expect([search.statusCode, outcome(search)]).toEqual([
      400,
      { code: 'text-encoding-invalid', expression: 'identifier' },
    ]);
    // A NUL in an id went to the database as is (PostgreSQL then failed with a 500).
    for (const url of [`/fhir/DocumentReference/%00`, `/api/patient/record/${jean.id}/documents/a%00b`]) {
      const response = await app.inject({ url, headers: { authorization: bearer, cookie: patientCookie } });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('text-nul');
    }
  });

  it('refuses a repeated parameter of the private API (it arrived as an array: a 500)', async () => {
    const response = await app.inject({
      url: `/api/pro/patients?ins=${jean.ins}&ins=${jean.ins}`,
      headers: { cookie: proCookie },
    });
    expect([response.statusCode, jsonError(response)]).toEqual([
      400,
      expect.objectContaining({ code: 'query-parameter-repeated', field: 'ins' }),
    ]);
  });

  it('refuses at deposit a CDA nested deeper than the viewer reads, by FHIR (ITI-65) and by the portal', async () => {
    const before = await documentCount();
    const deep = nestedCda(10_000);
    const fhir = await app.inject({
      method: 'POST',
      url: '/fhir',
      headers: { authorization: bearer, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(
        provideBundle(`Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|${jean.ins}`, [
          { bytes: deep, contentType: 'text/xml', typeCode: '11488-4' },
        ]),
      ),
    });
    expect(fhir.statusCode).toBeGreaterThanOrEqual(400);
    expect(fhir.statusCode).toBeLessThan(500);
    expect(fhir.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    const body = multipart(
      { title: Buffer.from('Compte rendu'), type: Buffer.from('11488-4') },
      deep,
      'text/xml',
    );
    const portal = await app.inject({
      method: 'POST',
      url: `/api/pro/patients/${jean.id}/documents`,
      headers: { cookie: proCookie, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(portal.statusCode).toBeGreaterThanOrEqual(400);
    expect(portal.statusCode).toBeLessThan(500);
    expect(await documentCount()).toBe(before);

    // A CDA within the limit is deposited and shown.
    const shallow = multipart(
      { title: Buffer.from('Compte rendu'), type: Buffer.from('11488-4') },
      nestedCda(20),
      'text/xml',
    );
    const deposited = await app.inject({
      method: 'POST',
      url: `/api/pro/patients/${jean.id}/documents`,
      headers: { cookie: proCookie, 'content-type': shallow.contentType },
      payload: shallow.payload,
    });
    expect(deposited.statusCode).toBe(201);
    const view = await app.inject({
      url: `/api/pro/patients/${jean.id}/documents/${(deposited.json() as { id: string }).id}/view`,
      headers: { cookie: proCookie },
    });
    expect(view.statusCode).toBe(200);
  });

  it('refuses a body nested thousands of levels deep', async () => {
    const deep = `${'{"a":'.repeat(10_000)}"x"${'}'.repeat(10_000)}`;
    const response = await app.inject({
      method: 'POST',
      url: `/api/patient/agenda/${jean.id}/events`,
      headers: { cookie: patientCookie, 'content-type': 'application/json' },
      payload: deep,
    });
    expect([response.statusCode, jsonError(response).code]).toEqual([400, 'body-too-deep']);
  });
});
