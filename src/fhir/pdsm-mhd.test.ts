import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Bundle, DocumentReference, List, PractitionerRole } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professional } from '../access/record-policy.fixtures.ts';
import type { ProfessionalPrincipal } from '../access/index.ts';
import { seedDemo } from '../demo/index.ts';
import type { Ins, NationalProfessionalId, SpecialtyCode } from '../identity/index.ts';
import { issueDevAccessToken } from '../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import {
  parseCda,
  type CdaDocument,
  attr,
  first,
  nameOf,
  parseXml,
  declareConsent,
} from '../record/index.ts';
import { CDA_EXAMPLES, makePdf } from '../record/content/test-files.ts';
import { findDocumentType, canonicalSystem } from '../terminology/index.ts';
import { CarnetError } from '../shared/index.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import type { FhirCall } from './call.ts';
import {
  patchDocumentReference,
  readDocumentReference,
  searchDocumentReferences,
} from './document-interactions.ts';
import {
  PDSM_DOCUMENT_REFERENCE_PROFILE,
  PDSM_IS_ARCHIVED_EXTENSION,
  PDSM_SUBMISSION_SET_PROFILE,
} from './document-systems.ts';
import { readList, searchLists } from './list-interactions.ts';
import { insConditional, provideBundle, type BundleOptions, type TestDocument } from './mhd-test-bundles.ts';
import { provideDocumentBundle, publishDocumentReference } from './provide-interactions.ts';

const NIR_OID = '1.2.250.1.213.1.4.8';
const TEST_NIR_OID = '1.2.250.1.213.1.4.10';
const LOINC_OID = '2.16.840.1.113883.6.1';
const MARTIN = '810001000115';

/**
 * The official ANS examples (docs/cda.md, "The ANS kits the tests and scripts read"), all for the ANS test patient.
 */
const EXAMPLES = [
  'VSM_1.4_2022.01.xml',
  'LDL-SES_2022.01.xml',
  'VAC-NOTE_2023.01.xml',
  'BIO-CR-BIO_2024.01_TSH_1.xml',
  'DOC_NON_STRUCTURE_CDA-R2-N1.xml',
  'IPS-FR_2024.01.xml',
];

interface Coded {
  readonly system: string;
  readonly code: string;
}

/** The XDS metadata a producer derives from a CDA header (CI-SIS "mapping CDA → XDS"). */
interface HeaderMetadata {
  readonly cda: CdaDocument;
  readonly type: Coded;
  readonly creation: string;
  readonly practiceSetting: Coded;
  readonly facilityType: Coded;
  readonly authorId: string;
  readonly specialty: string | undefined;
}

const systemOf = (oid: string | undefined) =>
  oid === LOINC_OID ? 'http://loinc.org' : `urn:oid:${oid ?? ''}`;

function headerMetadata(bytes: Buffer): HeaderMetadata {
  const text = bytes.toString('utf8');
  const cda = parseCda(text);
  if (cda instanceof Error) throw cda;
  const clinical = parseXml(text).find((n) => nameOf(n) === 'ClinicalDocument');
  const setting = first(
    clinical,
    'documentationOf',
    'serviceEvent',
    'performer',
    'assignedEntity',
    'representedOrganization',
    'standardIndustryClassCode',
  );
  const facility = first(
    clinical,
    'componentOf',
    'encompassingEncounter',
    'location',
    'healthCareFacility',
    'code',
  );
  const author = cda.header.authors[0]!;
  return {
    cda,
    type: { system: systemOf(cda.header.type.system), code: cda.header.type.code },
    creation: cda.header.effectiveTime!,
    practiceSetting: { system: `urn:oid:${attr(setting, 'codeSystem')}`, code: attr(setting, 'code')! },
    facilityType: { system: `urn:oid:${attr(facility, 'codeSystem')}`, code: attr(facility, 'code')! },
    authorId: author.nationalId!,
    specialty: author.profession?.code.split('/')[1],
  };
}

/** The PDSm metadata of one of the examples, as a DMP-compatible software would send it. */
function exampleDocument(file: string, bytes: Buffer, m: HeaderMetadata): TestDocument {
  return {
    bytes,
    contentType: 'text/xml',
    typeCode: m.type.code,
    typeSystem: m.type.system,
    title: m.cda.header.title,
    extra: {
      content: [
        {
          attachment: {
            contentType: 'text/xml',
            language: m.cda.header.languageCode ?? 'fr-FR',
            title: file,
            creation: m.creation,
            size: bytes.byteLength,
            hash: createHash('sha1').update(bytes).digest('base64'),
          },
          format: { system: 'urn:oid:1.3.6.1.4.1.19376.1.2.3', code: 'urn:ihe:iti:xds-sd:pdf:2008' },
        },
      ],
      context: {
        practiceSetting: { coding: [m.practiceSetting] },
        facilityType: { coding: [m.facilityType] },
        period: {
          start: m.cda.header.serviceStart ?? m.creation,
          ...(m.cda.header.serviceEnd ? { end: m.cda.header.serviceEnd } : {}),
        },
      },
      securityLabel: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
              code: m.cda.header.confidentialityCode ?? 'N',
            },
          ],
        },
      ],
    },
  };
}

async function refusal(work: () => Promise<unknown>): Promise<{ kind: string; code: string; path?: string }> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CarnetError) {
      return { kind: error.kind, code: error.code, ...(error.expression ? { path: error.expression } : {}) };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.each(testDialects)('PDSm metadata, submission sets and ITI-66 on %s', (dialect) => {
  let carnet: TestCarnet;
  let jean: InsuredPerson;
  let dominique: InsuredPerson;
  let fhirBase: string;
  const martin = professional('10', { id: MARTIN, specialty: 'SM26' as SpecialtyCode });
  const nurse = professional('60', { id: '810001000999' });
  const callAs = (principal: ProfessionalPrincipal): FhirCall => ({
    ctx: carnet.ctx,
    principal,
    fhirBase,
  });
  const jeanSubject = () => insConditional(NIR_OID, jean.ins);
  const pdf = async (extra: Partial<TestDocument> = {}): Promise<TestDocument> => ({
    bytes: await makePdf('Compte rendu de consultation'),
    contentType: 'application/pdf',
    typeCode: '11488-4',
    ...extra,
  });
  const provide = (
    principal: ProfessionalPrincipal,
    docs: TestDocument[],
    options?: BundleOptions,
    subject?: string,
  ) => provideDocumentBundle(callAs(principal), provideBundle(subject ?? jeanSubject(), docs, options));
  const locationOf = (response: Bundle, type: string) =>
    response
      .entry!.map((e) => e.response!.location!)
      .find((l) => l.startsWith(`${type}/`))!
      .split('/')[1]!;

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    fhirBase = `${carnet.config.baseUrl}/fhir`;
    jean = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!;
    dominique = (await findInsuredByIns(carnet.ctx.db, '279035121518989' as Ins))!;
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  it('deposits each official ANS example with metadata from its own header, and gives it back', async () => {
    for (const file of EXAMPLES) {
      const bytes = await readFile(path.join(CDA_EXAMPLES, file));
      const m = headerMetadata(bytes);
      // The CDA's author deposits it (Carnet's author is the depositor).
      const author = professional('10', {
        id: m.authorId as NationalProfessionalId,
        specialty: m.specialty as SpecialtyCode,
      });
      const response = await provide(
        author,
        [exampleDocument(file, bytes, m)],
        {},
        insConditional(TEST_NIR_OID, dominique.ins),
      );
      const id = locationOf(response, 'DocumentReference');
      const reference = await readDocumentReference(callAs(author), id);
      const expectedClass = findDocumentType(m.type.code, m.type.system)!.classCode;
      expect(reference.type?.coding?.[0], file).toMatchObject({ code: m.type.code });
      expect(reference.category?.[0]?.coding?.[0]?.code, file).toBe(expectedClass);
      // Given back in the spelling PDSm uses, whatever spelling the header had.
      const pdsm = (c: { system: string; code: string }) => ({
        system: canonicalSystem(c.system),
        code: c.code,
      });
      expect(reference.context?.practiceSetting?.coding?.[0], file).toMatchObject(pdsm(m.practiceSetting));
      expect(reference.context?.facilityType?.coding?.[0], file).toMatchObject(pdsm(m.facilityType));
      expect(reference.content[0]!.attachment.creation, file).toBe(new Date(m.creation).toISOString());
      expect(reference.content[0]!.attachment.hash, file).toBe(
        createHash('sha1').update(bytes).digest('base64'),
      );
      expect(reference.content[0]!.attachment.language, file).toBe('fr-FR');

      // Stored in the columns ITI-67 filters on, and found by type and by class.
      const row = await carnet.ctx.db
        .selectFrom('documents')
        .select(['setting_code', 'facility_code', 'created_at', 'type_code', 'class_code'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row, file).toEqual({
        setting_code: m.practiceSetting.code,
        facility_code: m.facilityType.code,
        created_at: new Date(m.creation).toISOString(),
        type_code: m.type.code,
        class_code: expectedClass,
      });
      const patient = { 'patient.identifier': `urn:oid:${TEST_NIR_OID}|${dominique.ins}` };
      const byType = await searchDocumentReferences(callAs(author), { ...patient, type: m.type.code });
      expect(
        byType.entry?.some((e) => e.resource?.id === id),
        file,
      ).toBe(true);
      const byClass = await searchDocumentReferences(callAs(author), { ...patient, category: expectedClass });
      expect(
        byClass.entry?.some((e) => e.resource?.id === id),
        file,
      ).toBe(true);
      // By its practice setting and its creation day, as its header spells them, and by all four at once.
      const setting = `${m.practiceSetting.system}|${m.practiceSetting.code}`;
      const creationDay = new Date(m.creation).toISOString().slice(0, 10);
      const found = async (params: Record<string, string>) =>
        (await searchDocumentReferences(callAs(author), { ...patient, ...params })).entry?.some(
          (e) => e.resource?.id === id,
        );
      expect(await found({ setting }), file).toBe(true);
      expect(await found({ creation: creationDay }), file).toBe(true);
      expect(
        await found({
          type: `${m.type.system}|${m.type.code}`,
          category: expectedClass,
          setting,
          creation: `ge${creationDay}`,
        }),
        file,
      ).toBe(true);
      // And not under another day or another setting.
      expect(await found({ creation: 'lt2000-01-01' }), file).toBe(false);
      expect(await found({ setting: `${m.practiceSetting.system}|NOT-A-SETTING` }), file).toBe(false);
    }
  });

  it('refuses a CDA whose header disagrees with its metadata, naming the first mismatch', async () => {
    const bytes = await readFile(path.join(CDA_EXAMPLES, 'VAC-NOTE_2023.01.xml'));
    const m = headerMetadata(bytes);
    const author = professional('10', { id: m.authorId as NationalProfessionalId });
    const doc = exampleDocument('VAC-NOTE_2023.01.xml', bytes, m);
    const forDominique = insConditional(TEST_NIR_OID, dominique.ins);
    // Another patient than the header's.
    expect(await refusal(() => provide(author, [doc], {}, jeanSubject()))).toEqual({
      kind: 'unprocessable',
      code: 'cda-patient-mismatch',
      path: 'Bundle.entry[1].resource.subject',
    });
    // Another type than the header's.
    expect(await refusal(() => provide(author, [{ ...doc, typeCode: '11488-4' }], {}, forDominique))).toEqual(
      {
        kind: 'unprocessable',
        code: 'cda-type-mismatch',
        path: 'Bundle.entry[1].resource.type.coding[0].code',
      },
    );
    // Deposited by a professional who is not among its authors.
    expect(await refusal(() => provide(martin, [doc], {}, forDominique))).toMatchObject({
      code: 'cda-author-mismatch',
      path: 'Bundle.entry[1].resource.author',
    });
    // Restricted in the metadata, normal in the header.
    const restricted = {
      ...doc,
      extra: {
        ...doc.extra,
        securityLabel: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
        ],
      },
    };
    expect(await refusal(() => provide(author, [restricted], {}, forDominique))).toMatchObject({
      code: 'cda-confidentiality-mismatch',
      path: 'Bundle.entry[1].resource.securityLabel',
    });
  });

  it('keeps every PDSm metadata of a deposit and returns it in the PDSm shape', async () => {
    const doc = await pdf({
      securityLabels: ['MASQUE_PS'],
      extra: {
        contained: [
          {
            resourceType: 'Patient',
            id: 'src',
            identifier: [{ system: 'urn:oid:1.2.3.4', value: 'IPP-42' }],
            name: [{ family: 'DUPONT', given: ['Jean'] }],
            birthDate: '1968-04-01',
            gender: 'male',
          },
          {
            resourceType: 'Practitioner',
            id: 'pr',
            identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: MARTIN }],
          },
          {
            resourceType: 'PractitionerRole',
            id: 'role',
            practitioner: { reference: '#pr' },
            code: [{ coding: [{ system: 'urn:oid:1.2.250.1.210.1.2.2.1', code: 'A' }] }],
          },
          {
            resourceType: 'Organization',
            id: 'keeper',
            identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.2', value: '1750000001' }],
            name: 'Cabinet du Dr Martin',
          },
        ],
        author: [{ reference: '#role' }],
        custodian: { reference: '#keeper' },
        securityLabel: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
          {
            coding: [
              {
                system:
                  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument',
                code: 'MASQUE_PS',
              },
            ],
          },
        ],
        context: {
          event: [{ coding: [{ system: 'urn:oid:2.16.840.1.113883.6.3', code: 'I10' }] }],
          facilityType: {
            coding: [{ system: 'urn:oid:1.2.250.1.71.4.2.4', code: 'SA07', display: 'Cabinet individuel' }],
          },
          practiceSetting: { coding: [{ system: 'urn:oid:1.2.250.1.213.1.1.4.9', code: 'AMBULATOIRE' }] },
          sourcePatientInfo: { reference: '#src' },
          related: [
            {
              identifier: {
                type: { coding: [{ system: 'urn:ietf:rfc:3986', code: 'urn:ihe:iti:xds:2013:order' }] },
                value: 'CMD-7',
              },
            },
          ],
          period: { start: '2024-02-01', end: '2024-02-02' },
        },
      },
    });
    const bytes = Buffer.from(doc.bytes);
    doc.extra!.content = [
      {
        attachment: {
          contentType: 'application/pdf',
          language: 'fr-FR',
          creation: '2024-02-02T09:30:00+01:00',
          size: bytes.byteLength,
          hash: createHash('sha1').update(bytes).digest('base64'),
        },
        format: { system: 'urn:oid:1.2.250.1.213.1.1.4.2.282', code: 'urn:ans:ci-sis:pdf' },
      },
    ];
    const bundle = provideBundle(jeanSubject(), [doc]);
    const response = await provideDocumentBundle(callAs(martin), bundle);
    const read = await readDocumentReference(callAs(martin), locationOf(response, 'DocumentReference'));

    expect(read.meta?.profile).toEqual([PDSM_DOCUMENT_REFERENCE_PROFILE]);
    expect(read).not.toHaveProperty('docStatus');
    expect(read.extension).toEqual([{ url: PDSM_IS_ARCHIVED_EXTENSION, valueBoolean: false }]);
    expect(read.content[0]!.attachment).toMatchObject({
      language: 'fr-FR',
      size: bytes.byteLength,
      hash: createHash('sha1').update(bytes).digest('base64'),
      creation: '2024-02-02T08:30:00.000Z',
    });
    expect(JSON.stringify(read.content[0])).not.toContain('content-sha256');
    expect(read.content[0]!.format).toMatchObject({ code: 'urn:ans:ci-sis:pdf' });
    expect(read.securityLabel?.map((l) => l.coding?.[0]?.code)).toEqual(['R', 'MASQUE_PS']);
    expect(read.context?.event?.[0]?.coding?.[0]).toMatchObject({ code: 'I10' });
    expect(read.context?.facilityType?.coding?.[0]).toMatchObject({
      code: 'SA07',
      display: 'Cabinet individuel',
    });
    expect(read.context?.practiceSetting?.coding?.[0]).toMatchObject({ code: 'AMBULATOIRE' });
    expect(read.context?.related?.[0]?.identifier).toMatchObject({ value: 'CMD-7' });
    expect(read.context?.period).toEqual({
      start: '2024-02-01T00:00:00.000Z',
      end: '2024-02-02T00:00:00.000Z',
    });
    const contained = read.contained ?? [];
    const source = contained.find((c) => c.id === read.context?.sourcePatientInfo?.reference?.slice(1));
    expect(source).toMatchObject({
      resourceType: 'Patient',
      birthDate: '1968-04-01',
      identifier: [{ value: 'IPP-42' }],
    });
    // The author is the professional in their role; no Organization as author.
    const authorRef = read.author?.[0]?.reference;
    const role = contained.find((c) => `#${c.id}` === authorRef) as PractitionerRole;
    expect(role.resourceType).toBe('PractitionerRole');
    expect(role.code?.[0]?.coding?.[0]?.code).toBe('A');
    expect(contained.find((c) => `#${c.id}` === role.practitioner?.reference)).toMatchObject({
      resourceType: 'Practitioner',
      identifier: [{ value: MARTIN }],
      name: [{ family: 'Martin', given: ['Camille'] }],
    });
    expect(read.author?.every((a) => !a.reference?.includes('organization'))).toBe(true);
    expect(contained.find((c) => `#${c.id}` === read.custodian?.reference)).toMatchObject({
      resourceType: 'Organization',
      name: 'Cabinet du Dr Martin',
    });

    // The level is the producer's: a PATCH may change the visibility flags, not the level.
    expect(
      await refusal(() =>
        patchDocumentReference(callAs(martin), read.id!, [{ op: 'remove', path: '/securityLabel/0' }]),
      ),
    ).toMatchObject({ code: 'confidentiality-level-immutable' });
  });

  it('checks attachment.hash and attachment.size against the content', async () => {
    const doc = await pdf();
    const bytes = Buffer.from(doc.bytes);
    const withAttachment = (attachment: Record<string, unknown>) => {
      const bundle = provideBundle(jeanSubject(), [doc]);
      const ref = bundle.entry![1]!.resource as DocumentReference;
      Object.assign(ref.content[0]!.attachment, attachment);
      return bundle;
    };
    expect(
      await refusal(() =>
        provideDocumentBundle(
          callAs(martin),
          withAttachment({ hash: createHash('sha1').update('autre').digest('base64') }),
        ),
      ),
    ).toEqual({
      kind: 'unprocessable',
      code: 'attachment-hash-mismatch',
      path: 'Bundle.entry[1].resource.content[0].attachment.hash',
    });
    expect(
      await refusal(() =>
        provideDocumentBundle(callAs(martin), withAttachment({ size: bytes.byteLength + 1 })),
      ),
    ).toEqual({
      kind: 'unprocessable',
      code: 'attachment-size-mismatch',
      path: 'Bundle.entry[1].resource.content[0].attachment.size',
    });
    const good = withAttachment({
      size: bytes.byteLength,
      hash: createHash('sha1').update(bytes).digest('base64'),
    });
    expect((await provideDocumentBundle(callAs(martin), good)).type).toBe('transaction-response');
  });

  it('accepts a Patient entry carrying the subject’s INS, and refuses one that names another patient', async () => {
    const fullUrl = 'urn:uuid:0b5d9f1e-1c2a-4c55-9a0e-5e2f3a4b6c7d';
    const insIdentifier = (ins: string) => [{ system: `urn:oid:${NIR_OID}`, value: ins }];
    const ok = await provide(
      martin,
      [await pdf()],
      { patient: { fullUrl, resource: { identifier: insIdentifier(jean.ins) } } },
      fullUrl,
    );
    expect(ok.entry![0]!.response).toEqual({ status: '200 OK', location: `Patient/${jean.id}` });
    expect(ok.entry!.slice(1).every((e) => e.response!.status === '201 Created')).toBe(true);

    const other = await pdf();
    expect(
      await refusal(() =>
        provide(martin, [other], {
          patient: { fullUrl, resource: { identifier: insIdentifier(dominique.ins) } },
        }),
      ),
    ).toEqual({
      kind: 'unprocessable',
      code: 'patient-mismatch',
      path: 'Bundle.entry[0].resource.identifier',
    });
  });

  it('refuses an author who is not the professional depositing', async () => {
    const doc = await pdf({
      extra: {
        contained: [
          {
            resourceType: 'Practitioner',
            id: 'other',
            identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810001000214' }],
          },
        ],
        author: [{ reference: '#other' }],
      },
    });
    expect(await refusal(() => provide(martin, [doc]))).toEqual({
      kind: 'unprocessable',
      code: 'author-not-depositor',
      path: 'Bundle.entry[1].resource.author[0]',
    });
  });

  it('accepts securityLabel R and V and refuses an unknown level (ITI-105 as well)', async () => {
    const doc = await pdf();
    const body = (code: string) => ({
      ...(provideBundle(jeanSubject(), [doc]).entry![1]!.resource as DocumentReference),
      securityLabel: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] },
      ],
      content: [
        { attachment: { contentType: 'application/pdf', data: Buffer.from(doc.bytes).toString('base64') } },
      ],
    });
    const { resource } = await publishDocumentReference(callAs(martin), body('V'));
    expect(resource.securityLabel?.[0]?.coding?.[0]?.code).toBe('V');
    // ITI-105 sends no SubmissionSet: Carnet makes one, found by ITI-66 with the document in it.
    const lists = await searchLists(callAs(martin), {
      'patient.identifier': `urn:oid:${NIR_OID}|${jean.ins}`,
    });
    const set = lists.entry?.find((e) =>
      e.resource?.entry?.some((i) => i.item.reference === `DocumentReference/${resource.id}`),
    );
    expect(set?.resource?.entry).toHaveLength(1);
    expect(await refusal(() => publishDocumentReference(callAs(martin), body('X')))).toMatchObject({
      code: 'security-label-unknown',
      path: 'DocumentReference.securityLabel[0]',
    });
  });

  it('stores the SubmissionSet: readable at the ITI-65 response’s List location, found by ITI-66, audited', async () => {
    const uniqueId = 'urn:oid:1.2.250.1.999.77.1';
    await provide(martin, [await pdf()]); // another set of the record, for paging
    const response = await provide(martin, [await pdf(), await pdf({ title: 'Second' })], {
      list: {
        identifier: [{ use: 'usual', system: 'urn:ietf:rfc:3986', value: uniqueId }],
        title: 'Consultation du 2 février',
        note: [{ text: 'Envoi groupé' }],
        extension: [
          {
            url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId',
            valueIdentifier: { value: '1.2.250.1.999.5' },
          },
          {
            url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType',
            valueCodeableConcept: { coding: [{ system: 'urn:oid:1.2.250.1.71.4.2.4', code: 'SA07' }] },
          },
        ],
      },
    });
    const listId = locationOf(response, 'List');
    const docIds = response
      .entry!.map((e) => e.response!.location!)
      .filter((l) => l.startsWith('DocumentReference/'));

    const list = await readList(callAs(martin), listId);
    expect(list.meta?.profile).toEqual([PDSM_SUBMISSION_SET_PROFILE]);
    expect(list.code?.coding?.[0]?.code).toBe('submissionset');
    expect(list.identifier).toContainEqual({ use: 'usual', system: 'urn:ietf:rfc:3986', value: uniqueId });
    expect(list.title).toBe('Consultation du 2 février');
    expect(list.note?.[0]?.text).toBe('Envoi groupé');
    expect(list.subject?.identifier?.value).toBe(jean.ins);
    expect(list.entry?.map((e) => e.item.reference).sort()).toEqual(docIds.sort());
    expect(list.contained?.find((c) => `#${c.id}` === list.source?.reference)?.resourceType).toBe(
      'PractitionerRole',
    );

    // Over HTTP as well: the location resolves.
    const token = await issueDevAccessToken(carnet.ctx, { rpps: '10001000115' });
    const http = await fetch(`${carnet.url}/fhir/List/${listId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(http.status).toBe(200);
    expect(((await http.json()) as List).id).toBe(listId);

    const patient = { 'patient.identifier': `urn:oid:${NIR_OID}|${jean.ins}`, code: 'submissionset' };
    const found = async (extra: Record<string, string>) =>
      (await searchLists(callAs(martin), { ...patient, ...extra })).entry?.map((e) => e.resource?.id) ?? [];
    expect(await found({})).toContain(listId);
    expect(await found({ identifier: uniqueId })).toEqual([listId]);
    expect(await found({ identifier: `urn:uuid:${listId}` })).toEqual([listId]);
    expect(await found({ sourceId: '1.2.250.1.999.5' })).toEqual([listId]);
    expect(await found({ designationType: 'urn:oid:1.2.250.1.71.4.2.4|SA07' })).toEqual([listId]);
    expect(await found({ designationType: 'SA08' })).toEqual([]);
    expect(await found({ identifier: uniqueId, date: `ge${list.date!.slice(0, 10)}` })).toEqual([listId]);
    expect(await found({ identifier: uniqueId, date: 'lt2000-01-01' })).toEqual([]);
    expect(await found({ identifier: uniqueId, code: 'folder' })).toEqual([]);
    // The submitter's names, from the directory (Dr Claire MARTIN holds this national id in the demo).
    expect(await found({ identifier: uniqueId, 'source.family': 'mart' })).toEqual([listId]);
    expect(await found({ identifier: uniqueId, 'source.family': 'Martin', 'source.given': 'CLA' })).toEqual([
      listId,
    ]);
    expect(await found({ identifier: uniqueId, 'source.family': 'dupont' })).toEqual([]);
    expect(await found({ identifier: uniqueId, 'source.family': 'm%' })).toEqual([]);
    expect(await refusal(() => searchLists(callAs(martin), { ...patient, code: 'autre' }))).toMatchObject({
      code: 'search-code-invalid',
    });
    // An unknown parameter: left out of the self link, or a 400 under Prefer: handling=strict.
    const lenient = await searchLists(callAs(martin), { ...patient, identifier: uniqueId, inconnu: 'x' });
    expect(lenient.entry?.map((e) => e.resource?.id)).toEqual([listId]);
    expect(lenient.link?.find((l) => l.relation === 'self')?.url).not.toContain('inconnu');
    const strictHttp = await fetch(`${carnet.url}/fhir/List?patient=${jean.id}&inconnu=x`, {
      headers: { authorization: `Bearer ${token}`, prefer: 'handling=strict' },
    });
    expect(strictHttp.status).toBe(400);
    // An unsupported modifier is a 400 either way: ignored, `code:not` would answer what it excludes.
    expect(
      await refusal(() => searchLists(callAs(martin), { ...patient, 'code:not': 'submissionset' })),
    ).toMatchObject({ code: 'search-modifier-unsupported' });
    const paged = await searchLists(callAs(martin), { ...patient, _count: '1' });
    expect(paged.entry).toHaveLength(1);
    expect(paged.link?.find((l) => l.relation === 'next')?.url).toContain('code=submissionset');

    // A uniqueId names one submission set of the record: a second one is a conflict, and nothing is stored.
    const again = await pdf({ title: 'Doublon' });
    expect(
      await refusal(() =>
        provide(martin, [again], {
          list: { identifier: [{ use: 'usual', system: 'urn:ietf:rfc:3986', value: uniqueId }] },
        }),
      ),
    ).toMatchObject({ kind: 'conflict', code: 'submission-set-duplicate' });
    expect(await found({ identifier: uniqueId })).toEqual([listId]);

    const audits = await carnet.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'target_type', 'target_id'])
      .where('target_type', '=', 'List')
      .where('target_id', '=', listId)
      .execute();
    expect(audits).toContainEqual({ action: 'read', target_type: 'List', target_id: listId });
  });

  it('shows a List only with the documents the reader may see, and hides one whose documents are all hidden', async () => {
    await declareConsent(carnet.ctx, nurse, jean.id);
    const hidden = await provide(martin, [await pdf({ securityLabels: ['MASQUE_PS'] })]);
    const hiddenId = locationOf(hidden, 'List');
    expect((await readList(callAs(martin), hiddenId)).entry).toHaveLength(1);
    // A nurse does not see the masked document: the List is not found, nor listed by ITI-66.
    expect(await refusal(() => readList(callAs(nurse), hiddenId))).toMatchObject({
      kind: 'not-found',
      code: 'submission-set-not-found',
    });
    const lists = await searchLists(callAs(nurse), {
      'patient.identifier': `urn:oid:${NIR_OID}|${jean.ins}`,
    });
    expect(lists.entry?.some((e) => e.resource?.id === hiddenId)).toBe(false);
    expect(await refusal(() => readList(callAs(martin), 'no-such-list'))).toMatchObject({
      kind: 'not-found',
    });

    // Half hidden: the nurse sees the visible document, and not the set's title (it may speak of the other one).
    const mixed = await provide(martin, [await pdf(), await pdf({ securityLabels: ['MASQUE_PS'] })], {
      list: { title: 'Résultats confidentiels' },
    });
    const mixedId = locationOf(mixed, 'List');
    const visibleId = mixed
      .entry!.map((e) => e.response!.location!)
      .find((l) => l.startsWith('DocumentReference/'))!;
    const seen = await readList(callAs(nurse), mixedId);
    expect(seen.entry?.map((e) => e.item.reference)).toEqual([visibleId]);
    expect(seen).not.toHaveProperty('title');
    const listed = await searchLists(callAs(nurse), {
      'patient.identifier': `urn:oid:${NIR_OID}|${jean.ins}`,
      identifier: `urn:uuid:${mixedId}`,
    });
    expect(listed.entry?.[0]?.resource).not.toHaveProperty('title');
    expect(listed.entry?.[0]?.resource?.entry).toHaveLength(1);
    const full = await readList(callAs(martin), mixedId);
    expect(full.entry).toHaveLength(2);
    expect(full.title).toBe('Résultats confidentiels');
  });
});
