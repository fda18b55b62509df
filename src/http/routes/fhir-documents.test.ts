import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type FhirResource } from 'fhir-kit-client';
import type { AuditEvent, Bundle, DocumentReference, OperationOutcome } from '@medplum/fhirtypes';
import type { PatientPrincipal } from '../../access/index.ts';
import { issuePatientAccessToken } from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import { insConditional, provideBundle, type TestDocument } from '../../fhir/mhd-test-bundles.ts';
import {
  nationalIdOfRpps,
  type Ins,
  type ProfessionCode,
  type Rpps,
  type SpecialtyCode,
} from '../../identity/index.ts';
import { upsertProfessional } from '../../professionals/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { waitForEmail } from '../../mail/index.ts';
import { CDA_EXAMPLES, makePdf } from '../../record/content/test-files.ts';
import { setProfessionalStatus } from '../../record/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { outgoingEmails } from '../../mail/test-outbox.ts';

const MAX_BYTES = 600_000;
const NIR_OID = '1.2.250.1.213.1.4.8';
const TEST_NIR_OID = '1.2.250.1.213.1.4.10';
const RPPS = { martin: '10001000115', bernard: '10001000214', petit: '10001000313' };

interface ClientError {
  response: { status: number; data: OperationOutcome };
}
async function failure(
  request: () => Promise<unknown>,
): Promise<{ status: number; code: string; text: string; expression?: string }> {
  try {
    await request();
  } catch (error) {
    const { response } = error as ClientError;
    const issue = response.data.issue?.[0];
    return {
      status: response.status,
      code: issue?.details?.coding?.[0]?.code ?? '',
      text: issue?.details?.text ?? '',
      ...(issue?.expression?.[0] ? { expression: issue.expression[0] } : {}),
    };
  }
  throw new Error('expected the request to fail');
}
const as = <T>(resource: FhirResource) => resource as unknown as T;

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.bin')).length;
}

describe.each(testDialects)('FHIR documents (IHE MHD) on %s', (dialect) => {
  let carnet: TestCarnet;
  let fhirBase: string;
  let jean: InsuredPerson;
  let dominique: InsuredPerson;
  const clients: Record<'martin' | 'bernard' | 'petit' | 'jean', Client> = {} as never;

  const clientFor = (token: string) => {
    const client = new Client({ baseUrl: fhirBase });
    client.bearerToken = token;
    return client;
  };
  const jeanSubject = () => insConditional(NIR_OID, jean.ins);
  const stored = async () => ({
    rows: Number(
      (
        await carnet.ctx.db
          .selectFrom('documents')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    // Where the contents live: files on SQLite, rows of `content_blobs` on PostgreSQL.
    files:
      dialect === 'sqlite'
        ? await countFiles(path.join(carnet.config.dataDir, 'documents'))
        : Number(
            (
              await carnet.ctx.db
                .selectFrom('content_blobs')
                .select((eb) => eb.fn.countAll().as('n'))
                .where('kind', '=', 'documents')
                .executeTakeFirstOrThrow()
            ).n,
          ),
  });
  const pdfDoc = async (extra: Partial<TestDocument> = {}): Promise<TestDocument> => ({
    bytes: await makePdf('Compte rendu de consultation'),
    contentType: 'application/pdf',
    typeCode: '11488-4',
    ...extra,
  });
  const deposit = async (client: Client, docs: TestDocument[], subject = jeanSubject()) =>
    as<Bundle>(await client.transaction({ body: provideBundle(subject, docs) as unknown as FhirResource }));
  const search = async (client: Client, params: Record<string, string | number> = {}) =>
    as<Bundle<DocumentReference>>(
      await client.search({
        resourceType: 'DocumentReference',
        searchParams: { 'patient.identifier': `urn:oid:${NIR_OID}|${jean.ins}`, ...params },
      }),
    );
  const idOf = (bundle: Bundle, entry: number) => bundle.entry![entry]!.response!.location!.split('/')[1]!;
  const asJean = (): PatientPrincipal => ({
    kind: 'patient',
    patientId: jean.id,
    ins: jean.ins,
    actsFor: [jean.id],
  });

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect, {
      // The deposit's e-mail leaves at once instead of waiting for others to join it.
      env: { CARNET_MAX_DOCUMENT_BYTES: String(MAX_BYTES), CARNET_NOTICE_COALESCE_SECONDS: '0' },
    });
    await seedDemo(carnet.ctx);
    fhirBase = `${carnet.url}/fhir`;
    jean = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!;
    dominique = (await findInsuredByIns(carnet.ctx.db, '279035121518989' as Ins))!;
    for (const name of ['martin', 'bernard', 'petit'] as const) {
      clients[name] = clientFor(await issueDevAccessToken(carnet.ctx, { rpps: RPPS[name] }));
    }
    clients.jean = clientFor(await issuePatientAccessToken(carnet.ctx, jean.id));
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  it('deposits an ITI-65 bundle, finds it with ITI-67, retrieves the exact bytes, and tells the patient', async () => {
    const doc = await pdfDoc({ title: 'Consultation du 1er mars' });
    const response = await deposit(clients.martin, [doc]);
    expect(response.type).toBe('transaction-response');
    expect(response.entry!.map((e) => e.response!.status)).toEqual([
      '201 Created',
      '201 Created',
      '201 Created',
    ]);
    const id = idOf(response, 1);

    const found = await search(clients.martin, { type: 'http://loinc.org|11488-4' });
    expect(found.total).toBe(1);
    const reference = found.entry![0]!.resource!;
    expect(reference.id).toBe(id);
    expect(reference.status).toBe('current');
    expect(reference.subject?.identifier).toEqual({ system: `urn:oid:${NIR_OID}`, value: jean.ins });
    // Codings in the PDSm spelling (TRE_A03 class codes by their MOS URL).
    expect(reference.category?.[0]?.coding?.[0]).toMatchObject({
      system: 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument',
      code: '10',
    });
    expect(reference.securityLabel?.map((l) => l.coding?.[0]?.code)).toEqual(['N']);
    expect(JSON.stringify(reference.contained)).toContain('810001000115');

    const url = reference.content[0]!.attachment.url!;
    expect(url).toBe(`${carnet.config.baseUrl}/fhir/Binary/${id}`);
    const bytes = await fetch(url.replace(carnet.config.baseUrl, carnet.url), {
      headers: { authorization: `Bearer ${await issueDevAccessToken(carnet.ctx, { rpps: RPPS.martin })}` },
    });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await bytes.arrayBuffer()).equals(Buffer.from(doc.bytes))).toBe(true);

    const outbox = (await outgoingEmails(carnet.ctx)).filter((m) => m.patient_id === jean.id);
    expect(outbox.some((m) => m.subject.includes('nouveau document'))).toBe(true);
    const mail = await waitForEmail(
      carnet.config.dataDir,
      (m) => m.to.includes('jean.dupont@mail.example') && /nouveau document a été ajouté/.test(m.text),
    );
    expect(mail.text).toContain('Dr Claire MARTIN');
    expect(mail.text).not.toContain('Consultation du 1er mars');
  });

  it('deposits the ANS CDA examples unchanged, as their author, for the ANS test patient and finds them by type', async () => {
    // The examples' author (RPPS 01234567897) deposits them: a CDA's header must name who deposits it.
    await upsertProfessional(
      carnet.ctx.db,
      {
        nationalId: nationalIdOfRpps('01234567897' as Rpps),
        rpps: '01234567897' as Rpps,
        familyName: 'MEDIONI',
        givenName: 'Stéphane',
        professionCode: '10' as ProfessionCode,
        specialtyCode: 'SM26' as SpecialtyCode,
        mssanteAddress: undefined,
        structure: undefined,
      },
      new Date().toISOString(),
    );
    const author = clientFor(await issueDevAccessToken(carnet.ctx, { rpps: '01234567897' }));
    const examples: [string, string, string][] = [
      ['VSM_1.4_2022.01.xml', 'SYNTH', 'urn:oid:1.2.250.1.213.1.1.4.12'],
      ['LDL-SES_2022.01.xml', '11490-0', 'http://loinc.org'],
      ['VAC-NOTE_2023.01.xml', '87273-9', 'http://loinc.org'],
    ];
    const files = await Promise.all(examples.map(([file]) => readFile(path.join(CDA_EXAMPLES, file))));
    const docs = examples.map(([file, typeCode, typeSystem], i) => ({
      bytes: files[i]!,
      contentType: 'text/xml',
      typeCode,
      typeSystem,
      title: file,
    }));
    const response = await deposit(author, docs, insConditional(TEST_NIR_OID, dominique.ins));
    expect(response.entry).toHaveLength(7);
    const byType = async (type: string) =>
      as<Bundle<DocumentReference>>(
        await author.search({
          resourceType: 'DocumentReference',
          searchParams: { 'patient.identifier': `urn:oid:${TEST_NIR_OID}|${dominique.ins}`, type },
        }),
      );
    expect((await byType('11490-0')).total).toBe(1);
    expect((await byType('SYNTH')).total).toBe(1);
    const vaccination = (await byType('87273-9')).entry![0]!.resource!;
    const binary = await fetch(`${fhirBase}/Binary/${vaccination.id}`, {
      headers: { authorization: `Bearer ${await issueDevAccessToken(carnet.ctx, { rpps: '01234567897' })}` },
    });
    expect(Buffer.from(await binary.arrayBuffer()).equals(files[2]!)).toBe(true);
    // The same examples deposited by another professional disagree with their header (the DMP's check).
    expect(
      await failure(() => deposit(clients.martin, [docs[2]!], insConditional(TEST_NIR_OID, dominique.ins))),
    ).toMatchObject({
      status: 422,
      code: 'cda-author-mismatch',
      expression: 'Bundle.entry[1].resource.author',
    });
  });

  it('answers each bad deposit with a precise OperationOutcome and stores nothing', async () => {
    const before = await stored();
    const good = await pdfDoc();
    const cases: [string, () => Promise<unknown>, number, string, string?][] = [
      [
        'a batch instead of a transaction',
        () =>
          clients.martin.transaction({
            body: { ...provideBundle(jeanSubject(), [good]), type: 'batch' } as unknown as FhirResource,
          }),
        400,
        'bundle-not-transaction',
      ],
      [
        'no SubmissionSet',
        () =>
          clients.martin.transaction({
            body: {
              ...provideBundle(jeanSubject(), [good]),
              entry: provideBundle(jeanSubject(), [good]).entry!.slice(1),
            } as unknown as FhirResource,
          }),
        400,
        'submission-set-required',
      ],
      [
        'invalid JSON',
        () =>
          clients.martin.request('', {
            method: 'POST',
            body: '{"resourceType":',
            options: { headers: { 'content-type': 'application/fhir+json' } },
          }),
        400,
        'json-invalid',
      ],
      [
        'a wrong INS key',
        () => deposit(clients.martin, [good], insConditional(NIR_OID, `${jean.ins.slice(0, 13)}00`)),
        400,
        'ins-invalid',
        'Bundle.entry[0].resource.subject',
      ],
      [
        'an unknown type code',
        () => deposit(clients.martin, [{ ...good, typeCode: '99999-9' }]),
        422,
        'type-unknown',
        'Bundle.entry[1].resource.type.coding[0].code',
      ],
      [
        'a deprecated type code',
        () => deposit(clients.martin, [{ ...good, typeCode: '10213-7' }]),
        422,
        'type-deprecated',
        'Bundle.entry[1].resource.type.coding[0].code',
      ],
      [
        'oversized content',
        () =>
          deposit(clients.martin, [
            { ...good, bytes: Buffer.concat([Buffer.from(good.bytes), Buffer.alloc(MAX_BYTES)]) },
          ]),
        413,
        'content-too-large',
      ],
      [
        'a "PDF" that is not a PDF',
        () => deposit(clients.martin, [{ ...good, bytes: Buffer.from('Ceci n’est pas un PDF.\n') }]),
        415,
        'content-type-mismatch',
      ],
      [
        'a second document that is bad',
        () => deposit(clients.martin, [good, { ...good, masterIdentifier: undefined, typeCode: '99999-9' }]),
        422,
        'type-unknown',
        'Bundle.entry[3].resource.type.coding[0].code',
      ],
    ];
    for (const [what, request, status, code, expression] of cases) {
      const outcome = await failure(request);
      expect({ what, status: outcome.status, code: outcome.code }).toEqual({ what, status, code });
      expect(outcome.text, what).not.toBe('');
      if (expression) expect(outcome.expression, what).toBe(expression);
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses a duplicate master identifier (409) and a PATCH of an unknown document (404)', async () => {
    const doc = await pdfDoc({ masterIdentifier: 'urn:oid:1.2.250.1.999.1.42' });
    await deposit(clients.martin, [doc]);
    expect(await failure(() => deposit(clients.martin, [doc]))).toMatchObject({
      status: 409,
      code: 'document-duplicate',
    });
    const patch = [{ op: 'add', path: '/securityLabel/-', value: { coding: [{ code: 'MASQUE_PS' }] } }];
    const unknown = await failure(() =>
      clients.jean.patch({
        resourceType: 'DocumentReference',
        id: '0190a5b2-0000-7000-8000-0000000000ff',
        jsonPatch: patch as never,
      }),
    );
    expect(unknown).toMatchObject({ status: 404, code: 'document-not-found' });
    const conditional = await failure(() =>
      clients.jean.request('DocumentReference?identifier=urn:ietf:rfc:3986|urn:oid:9.9.9', {
        method: 'PATCH',
        body: JSON.stringify(patch),
        options: { headers: { 'content-type': 'application/json-patch+json' } },
      }),
    );
    expect(conditional).toMatchObject({ status: 404, code: 'document-not-found' });
  });

  it('masks by PATCH: hidden from a nurse, seen by the author and by an administrateur; paging never counts it', async () => {
    const response = await deposit(clients.martin, [
      await pdfDoc({ typeCode: '11490-0' }),
      await pdfDoc({ typeCode: '11490-0' }),
      await pdfDoc({ typeCode: '11490-0' }),
    ]);
    const masked = idOf(response, 1);
    await clients.bernard.create({
      resourceType: 'Consent',
      body: {
        resourceType: 'Consent',
        status: 'active',
        patient: { reference: `Patient/${jean.id}` },
      } as FhirResource,
    });
    expect((await search(clients.bernard, { type: '11490-0' })).total).toBe(3);

    const patched = as<DocumentReference>(
      await clients.jean.patch({
        resourceType: 'DocumentReference',
        id: masked,
        jsonPatch: [
          {
            op: 'add',
            path: '/securityLabel/-',
            value: {
              coding: [
                {
                  system:
                    'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument',
                  code: 'MASQUE_PS',
                },
              ],
            },
          },
        ] as never,
      }),
    );
    expect(patched.securityLabel?.map((l) => l.coding?.[0]?.code)).toEqual(['N', 'MASQUE_PS']);
    expect(
      await failure(() =>
        clients.jean.patch({
          resourceType: 'DocumentReference',
          id: masked,
          jsonPatch: [{ op: 'replace', path: '/status', value: 'superseded' }] as never,
        }),
      ),
    ).toMatchObject({ status: 422, code: 'patch-element-not-allowed' });

    const page1 = await search(clients.bernard, { type: '11490-0', _count: 1 });
    expect(page1.total).toBe(2);
    expect(page1.entry).toHaveLength(1);
    const page2 = as<Bundle<DocumentReference>>(
      (await clients.bernard.nextPage({ bundle: page1 as never }))!,
    );
    expect(page2.total).toBe(2);
    expect(page2.link?.some((l) => l.relation === 'next')).toBe(false);
    const seen = [...page1.entry!, ...page2.entry!].map((e) => e.resource!.id);
    expect(seen).not.toContain(masked);
    expect(
      await failure(() => clients.bernard.read({ resourceType: 'DocumentReference', id: masked })),
    ).toMatchObject({ status: 404 });
    expect((await search(clients.martin, { type: '11490-0' })).total).toBe(3);

    await setProfessionalStatus(carnet.ctx, asJean(), jean.id, '810001000214', { administrator: true });
    expect((await search(clients.bernard, { type: '11490-0' })).total).toBe(3);
    await setProfessionalStatus(carnet.ctx, asJean(), jean.id, '810001000214', { administrator: false });

    // Unmask with a conditional FHIRPath Patch on the master identifier.
    const master = patched.masterIdentifier!.value!;
    await clients.jean.request(
      `DocumentReference?identifier=${encodeURIComponent(`urn:ietf:rfc:3986|${master}`)}`,
      {
        method: 'PATCH',
        body: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [
            {
              name: 'operation',
              part: [
                { name: 'type', valueCode: 'delete' },
                {
                  name: 'path',
                  valueString: "DocumentReference.securityLabel.where(coding.code='MASQUE_PS')",
                },
              ],
            },
          ],
        }),
        options: { headers: { 'content-type': 'application/fhir+json' } },
      },
    );
    expect((await search(clients.bernard, { type: '11490-0' })).total).toBe(3);
  });

  it('gives a blocked professional a 403 on everything', async () => {
    const id = idOf(await deposit(clients.martin, [await pdfDoc()]), 1);
    await clients.petit.create({
      resourceType: 'Consent',
      body: {
        resourceType: 'Consent',
        status: 'active',
        patient: { reference: `Patient/${jean.id}` },
      } as FhirResource,
    });
    await setProfessionalStatus(carnet.ctx, asJean(), jean.id, '810001000313', { blocked: true });
    const attempts: [string, () => Promise<unknown>][] = [
      ['search', () => search(clients.petit)],
      ['read', () => clients.petit.read({ resourceType: 'DocumentReference', id })],
      ['retrieve', () => clients.petit.read({ resourceType: 'Binary', id })],
      [
        'deposit',
        () =>
          deposit(clients.petit, [
            { bytes: Buffer.from('Délivrance du 2 mars.\n'), contentType: 'text/plain', typeCode: '60593-1' },
          ]),
      ],
      [
        'consent',
        () =>
          clients.petit.create({
            resourceType: 'Consent',
            body: {
              resourceType: 'Consent',
              status: 'active',
              patient: { reference: `Patient/${jean.id}` },
            } as FhirResource,
          }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      expect({ what, ...(await failure(attempt)) }).toMatchObject({
        what,
        status: 403,
        code: 'blocked',
      });
    }
  });

  it('answers POST _search as GET, refuses a JSON search body, and names an unknown parameter under strict handling', async () => {
    await deposit(clients.martin, [await pdfDoc({ typeCode: '11490-0' })]);
    const token = await issueDevAccessToken(carnet.ctx, { rpps: RPPS.martin });
    const params = new URLSearchParams({
      'patient.identifier': `urn:oid:${NIR_OID}|${jean.ins}`,
      type: '11490-0',
      status: 'current',
    });
    const auth = { authorization: `Bearer ${token}` };
    const byGet = (await (
      await fetch(`${fhirBase}/DocumentReference?${params}`, { headers: auth })
    ).json()) as Bundle;
    const posted = await fetch(`${fhirBase}/DocumentReference/_search?status=current`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        'patient.identifier': params.get('patient.identifier')!,
        type: '11490-0',
      }).toString(),
    });
    expect(posted.status).toBe(200);
    const byPost = (await posted.json()) as Bundle;
    expect(byGet.total).toBeGreaterThan(0);
    expect(byPost.total).toBe(byGet.total);
    expect(byPost.entry?.map((e) => e.resource?.id)).toEqual(byGet.entry?.map((e) => e.resource?.id));

    const json = await fetch(`${fhirBase}/DocumentReference/_search`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ patient: jean.id }),
    });
    expect(json.status).toBe(415);

    params.set('_elements', 'id');
    const strict = await fetch(`${fhirBase}/DocumentReference?${params}`, {
      headers: { ...auth, prefer: 'handling=strict' },
    });
    expect(strict.status).toBe(400);
    const outcome = (await strict.json()) as OperationOutcome;
    expect(outcome.issue?.[0]).toMatchObject({ expression: ['_elements'] });
    expect(outcome.issue?.[0]?.details?.text).toMatch(/_elements/);
    const lenient = (await (
      await fetch(`${fhirBase}/DocumentReference?${params}`, { headers: auth })
    ).json()) as Bundle;
    expect(lenient.total).toBe(byGet.total);
    expect(lenient.link?.find((l) => l.relation === 'self')?.url).not.toMatch(/_elements/);
  });

  it('shows the patient their own traces as AuditEvents, and nobody else', async () => {
    const events = as<Bundle<AuditEvent>>(
      await clients.jean.search({
        resourceType: 'AuditEvent',
        searchParams: { patient: `Patient/${jean.id}`, _count: 5 },
      }),
    );
    expect(events.total).toBeGreaterThan(5);
    expect(events.entry).toHaveLength(5);
    expect(
      await failure(() =>
        clients.martin.search({
          resourceType: 'AuditEvent',
          searchParams: { patient: `Patient/${jean.id}` },
        }),
      ),
    ).toMatchObject({ status: 403 });
  });

  // Security review regression: fails on 027241f, before the fix.
  it('refuses a pharmacist’s VSM, and tells them how many documents the matrix hides, nothing more', async () => {
    const subject = insConditional(TEST_NIR_OID, dominique.ins);
    const vsmDoc = await pdfDoc({ typeCode: '60591-5' });
    const vsm = await failure(() => deposit(clients.petit, [vsmDoc], subject));
    expect(vsm).toMatchObject({ status: 403, code: 'not-producer' });
    expect(vsm.text).toMatch(/réservé aux professions suivantes : médecin/);
    const secret = 'Synthèse psychiatrique confidentielle';
    const hidden = idOf(
      await deposit(clients.martin, [await pdfDoc({ typeCode: '68599-0', title: secret })], subject),
      1,
    );
    await clients.petit.create({
      resourceType: 'Consent',
      body: {
        resourceType: 'Consent',
        status: 'active',
        patient: { reference: `Patient/${dominique.id}` },
      } as FhirResource,
    });
    const found = as<Bundle>(
      await clients.petit.search({
        resourceType: 'DocumentReference',
        searchParams: { patient: dominique.id },
      }),
    );
    const outcomes = (found.entry ?? []).filter((e) => e.search?.mode === 'outcome');
    expect(outcomes).toHaveLength(1);
    const issue = (outcomes[0]!.resource as OperationOutcome).issue![0]!;
    expect(issue).toMatchObject({ severity: 'information', code: 'suppressed', details: { text: '1' } });
    expect(issue.diagnostics).toMatch(/matrice d’habilitation/);
    expect(JSON.stringify(outcomes)).not.toMatch(/68599|psychiatri/i);
    expect(found.entry!.filter((e) => e.search?.mode === 'match').map((e) => e.resource!.id)).not.toContain(
      hidden,
    );
    const read = await failure(() => clients.petit.read({ resourceType: 'DocumentReference', id: hidden }));
    expect(read).toMatchObject({ status: 403, code: 'habilitation' });
    expect(read.text).toMatch(/masqué par la matrice d’habilitation/);
  });
});
