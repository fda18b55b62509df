/**
 * Every search parameter the CapabilityStatement declares does something. For each resource type and parameter
 * the served `/fhir/metadata` declares, a search over seeded data (documents, submission sets, the medical profile,
 * reimbursed care, appointments, messages, access traces) is run with the parameter and without it: the two answers
 * must differ, and the one with the parameter must be the expected one (the matching entries, or none where the
 * parameter asks for what Carnet never keeps). A parameter declared without a case here fails the test, so the
 * statement cannot grow a parameter nobody checked.
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuePatientAccessToken } from '../auth/index.ts';
import { demoPerson, patientPrincipal, seedDemo, seedDemoContent } from '../demo/index.ts';
import type { PatientId } from '../identity/index.ts';
import { issueDevAccessToken } from '../idp/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { addProfileEntry } from '../medical-profile/index.ts';
import { patientAddress, receiveInbound } from '../messaging/index.ts';
import { emptyMetadata, type DocumentId, type RecordDocument, insertDocuments } from '../record/index.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import { provideBundle, insConditional } from './mhd-test-bundles.ts';
import { makePdf } from '../record/content/test-files.ts';

const NIR_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.8';
const GP_RPPS = '10001000115';
const OTHER_RPPS = '10001000214';

interface Answer {
  readonly status: number;
  readonly ids: readonly string[];
  readonly total: number | undefined;
}

/** One declared parameter's check: the search without it (`base`), the value it is given, what it must answer. */
interface ParamCase {
  readonly token: () => string;
  readonly base: Readonly<Record<string, string>>;
  readonly value: () => string | Promise<string>;
  /**
   * The ids the search with the parameter answers, in order; `'some'` where the data grows as the test reads it
   * (access traces): then any non-empty answer.
   */
  readonly expected: () => readonly string[] | 'some' | Promise<readonly string[] | 'some'>;
  /** The parameter can only narrow to nothing (it asks for what Carnet never keeps): an empty answer is expected. */
  readonly none?: true;
}

describe.each(testDialects)('declared search parameters change the answer (%s)', (dialect) => {
  // About a hundred parameters, three or four searches each: slower than the default timeout on a busy machine.
  let carnet: TestCarnet;
  let jean: InsuredPerson;
  let marie: InsuredPerson;
  let emilie: InsuredPerson;
  let chloe: InsuredPerson;
  const tokens: Record<'gp' | 'other' | 'marie' | 'emilie', string> = {
    gp: '',
    other: '',
    marie: '',
    emilie: '',
  };
  let statement: CapabilityStatement;

  const search = async (token: string, type: string, params: Record<string, string>): Promise<Answer> => {
    const response = await fetch(`${carnet.url}/fhir/${type}?${new URLSearchParams(params).toString()}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' },
    });
    const body = (await response.json()) as Bundle;
    return {
      status: response.status,
      ids: response.ok ? (body.entry ?? []).map((e) => e.resource?.id ?? '') : [],
      total: response.ok ? body.total : undefined,
    };
  };
  const resources = async (token: string, type: string, params: Record<string, string>) => {
    const response = await fetch(`${carnet.url}/fhir/${type}?${new URLSearchParams(params).toString()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status, `${type} ${JSON.stringify(params)}`).toBe(200);
    return ((await response.json()) as Bundle).entry?.map((e) => e.resource as Resource) ?? [];
  };

  // Documents of Jean's record, stored as a deposit stores them: A and B differ in every searchable attribute;
  // C is A's superseded predecessor.
  const docA = randomUUID() as DocumentId;
  const docB = randomUUID() as DocumentId;
  const docC = randomUUID() as DocumentId;
  const masterA = `urn:oid:1.2.250.1.999.7.1.${Date.now()}`;
  const documentOf = (
    id: DocumentId,
    patientId: PatientId,
    variant: 'a' | 'b',
    status: RecordDocument['status'] = 'current',
  ): RecordDocument => ({
    id,
    patientId,
    masterIdentifier: id === docA ? masterA : `urn:oid:1.2.250.1.999.7.2.${randomUUID()}`,
    typeCode: variant === 'a' ? '11488-4' : '11490-0',
    typeSystem: 'http://loinc.org',
    typeDisplay: 'Compte rendu',
    classCode: variant === 'a' ? '10' : '11',
    title: `Document ${variant}`,
    author: {
      kind: 'professional',
      nationalId: (variant === 'a' ? '810001000115' : '810009999990') as never,
      patientId: undefined,
      name: variant === 'a' ? 'Claire Martin' : 'Zoé Dupont',
      givenName: variant === 'a' ? 'Claire' : 'Zoé',
      familyName: variant === 'a' ? 'Martin' : 'Dupont',
      professionCode: '10' as never,
      specialtyCode: undefined,
      structureNationalId: undefined,
      structureName: undefined,
    },
    createdAt: variant === 'a' ? '2024-03-01T10:00:00.000Z' : '2025-06-01T10:00:00.000Z',
    serviceStart: variant === 'a' ? '2024-03-01T00:00:00.000Z' : '2025-06-01T00:00:00.000Z',
    serviceEnd: variant === 'a' ? '2024-03-01T23:00:00.000Z' : '2025-06-01T23:00:00.000Z',
    depositedAt: variant === 'a' ? '2024-03-02T10:00:00.000Z' : '2025-06-02T10:00:00.000Z',
    status,
    confidentiality: [],
    hash: '0'.repeat(64),
    size: 1,
    contentType: 'application/pdf',
    replacesId: undefined,
    submissionSetId: undefined,
    metadata: {
      ...emptyMetadata,
      format:
        variant === 'a'
          ? { system: 'urn:oid:1.3.6.1.4.1.19376.1.2.3', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient' }
          : { system: 'urn:oid:1.2.250.1.213.1.1.4.9', code: 'urn:asip:ci-sis:cr-bio:2018' },
      facilityType: { system: 'urn:oid:1.2.250.1.71.4.2.4', code: variant === 'a' ? 'SA01' : 'SA07' },
      practiceSetting: {
        system: 'urn:oid:1.2.250.1.213.1.1.4.9',
        code: variant === 'a' ? 'AMBULATOIRE' : 'ETABLISSEMENT',
      },
      events: [{ system: 'urn:oid:2.16.840.1.113883.6.3', code: variant === 'a' ? 'E11' : 'I10' }],
      related: [{ system: 'urn:oid:1.2.250.1.999.1', value: variant === 'a' ? 'ORD-1' : 'ORD-2' }],
      confidentialityLevel: variant === 'a' ? 'N' : 'R',
    },
  });

  let listIds: string[] = [];
  const appointmentIds: string[] = [];

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    // What the demo people have lived, through the services: Marie's profile, reimbursed care, messages.
    await seedDemoContent(carnet.ctx);
    jean = await demoPerson(carnet.ctx, 'jean');
    marie = await demoPerson(carnet.ctx, 'marie');
    emilie = await demoPerson(carnet.ctx, 'emilie');
    chloe = await demoPerson(carnet.ctx, 'chloe');
    tokens.gp = await issueDevAccessToken(carnet.ctx, { rpps: GP_RPPS });
    tokens.other = await issueDevAccessToken(carnet.ctx, { rpps: OTHER_RPPS });
    tokens.marie = await issuePatientAccessToken(carnet.ctx, marie.id);
    tokens.emilie = await issuePatientAccessToken(carnet.ctx, emilie.id);
    const gp = { authorization: `Bearer ${tokens.gp}` };

    // The GP consents for Jean and Marie (the consultation), which opens their records and profiles to them.
    for (const [token, person] of [
      [tokens.gp, jean],
      [tokens.gp, marie],
      [tokens.other, marie],
    ] as const) {
      const consent = await fetch(`${carnet.url}/fhir/Consent`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify({
          resourceType: 'Consent',
          status: 'active',
          patient: { identifier: { system: NIR_SYSTEM, value: person.ins } },
        }),
      });
      expect(consent.status, await consent.clone().text()).toBe(201);
    }

    await insertDocuments(
      carnet.ctx.config,
      carnet.ctx.db,
      [
        documentOf(docC, jean.id, 'a', 'superseded'),
        documentOf(docA, jean.id, 'a'),
        documentOf(docB, jean.id, 'b'),
      ],
      new Date().toISOString(),
    );

    // Two submission sets of Marie's record through ITI-65, the second by another professional from another
    // system, with a designation.
    for (const [token, list] of [
      [tokens.gp, {}],
      [
        tokens.other,
        {
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
      ],
    ] as const) {
      const bundle = provideBundle(
        insConditional('1.2.250.1.213.1.4.8', marie.ins),
        [{ bytes: await makePdf('Compte rendu'), contentType: 'application/pdf', typeCode: '11488-4' }],
        { list },
      );
      const response = await fetch(`${carnet.url}/fhir`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(bundle),
      });
      expect(response.status, await response.clone().text()).toBe(200);
    }
    listIds = (await search(tokens.gp, 'List', { patient: marie.id })).ids.slice();

    // Two hospitalisations (Encounter) for Marie; the demo gives her every other part of the profile twice or more.
    const asMarie = patientPrincipal(marie, [marie.id]);
    for (const [reason, date] of [
      ['Appendicectomie', '1989-05-02'],
      ['Fracture du poignet', '2015-02-10'],
    ] as const) {
      await addProfileEntry(carnet.ctx, asMarie, marie.id, 'hospitalisations', {
        reason,
        place: 'CHU',
        startDate: date,
      });
    }

    // Two appointments in Marie's agenda pushed by the GP, the second cancelled.
    for (const start of ['2030-01-10T09:00:00.000Z', '2030-03-10T09:00:00.000Z']) {
      const response = await fetch(`${carnet.url}/fhir/Appointment`, {
        method: 'POST',
        headers: { ...gp, 'content-type': 'application/fhir+json' },
        body: JSON.stringify({
          resourceType: 'Appointment',
          status: 'booked',
          description: 'Consultation',
          start,
          end: new Date(Date.parse(start) + 1_800_000).toISOString(),
          participant: [
            {
              actor: { type: 'Patient', identifier: { system: NIR_SYSTEM, value: marie.ins } },
              status: 'accepted',
            },
          ],
        }),
      });
      const created = (await response.json()) as Resource & { status: string };
      expect(response.status, JSON.stringify(created)).toBe(201);
      appointmentIds.push(created.id!);
      if (appointmentIds.length === 2) {
        const cancelled = await fetch(`${carnet.url}/fhir/Appointment/${created.id}`, {
          method: 'PUT',
          headers: { ...gp, 'content-type': 'application/fhir+json' },
          body: JSON.stringify({ ...created, status: 'cancelled' }),
        });
        expect(cancelled.status, await cancelled.clone().text()).toBe(200);
      }
    }

    // Messages: two in Émilie's mailbox, one in her daughter Chloé's.
    for (const [person, subject] of [
      [emilie, 'Premier'],
      [emilie, 'Second'],
      [chloe, 'Pour Chloé'],
    ] as const) {
      const to = patientAddress(person.ins, carnet.ctx.config.patientMailDomain);
      const from = 'dr.martin@cabinet.mssante.fr';
      const raw = await new MailComposer({ from, to, subject, text: 'Bonjour.' }).compile().build();
      await receiveInbound(carnet.ctx, { envelopeFrom: from, recipients: [to], raw });
    }

    statement = (await (await fetch(`${carnet.url}/fhir/metadata`)).json()) as CapabilityStatement;
  }, 180_000);
  afterAll(async () => {
    await carnet?.stop();
  });

  const jeanIns = () => `${NIR_SYSTEM}|${jean.ins}`;
  const byJeanIns = () => ({ 'patient.identifier': jeanIns() });
  const gp = () => tokens.gp;

  /** Every id of a search, for expectations computed from the data. */
  const idsOf = async (token: string, type: string, params: Record<string, string>) =>
    (await search(token, type, params)).ids;

  /** `patient` and `patient.identifier` of a type: a professional must name the patient (400 without). */
  const patientCases = (type: string, person: () => InsuredPerson): Record<string, ParamCase> => ({
    [`${type}.patient`]: {
      token: gp,
      base: {},
      value: () => person().id,
      expected: () => idsOf(gp(), type, { patient: `Patient/${person().id}` }),
    },
    [`${type}.patient.identifier`]: {
      token: gp,
      base: {},
      value: () => `${NIR_SYSTEM}|${person().ins}`,
      expected: () => idsOf(gp(), type, { patient: person().id }),
    },
  });
  /** `_count=1` and `_offset=1` over a search that has at least two entries. */
  const pageCases = (type: string, token: () => string, base: () => Record<string, string>) => {
    const all = () => idsOf(token(), type, { ...base(), _count: '100' });
    return {
      [`${type}._count`]: {
        token,
        get base() {
          return base();
        },
        value: () => '1',
        expected: async () => (await all()).slice(0, 1),
      },
      [`${type}._offset`]: {
        token,
        get base() {
          return base();
        },
        value: () => '1',
        expected: async () => (await all()).slice(1, 21),
      },
    } satisfies Record<string, ParamCase>;
  };
  /** A value of the `code` (or `category`) of the type's first entry, and the entries that carry it. */
  const codeOf = (resource: Resource, param: 'code' | 'category'): string => {
    const r = resource as unknown as Record<string, unknown>;
    const concept = (
      param === 'category'
        ? (r.category as unknown[] | undefined)?.[0]
        : (r.code ??
          r.medicationCodeableConcept ??
          r.vaccineCode ??
          (r.condition as { code?: unknown }[] | undefined)?.[0]?.code)
    ) as { coding?: { code?: string }[] } | undefined;
    return concept?.coding?.[0]?.code ?? '';
  };
  const codedCase = (type: string, param: 'code' | 'category'): ParamCase => {
    let picked = '';
    return {
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: async () => {
        const all = await resources(gp(), type, { patient: marie.id, _count: '100' });
        const counts = new Map<string, number>();
        for (const r of all) counts.set(codeOf(r, param), (counts.get(codeOf(r, param)) ?? 0) + 1);
        // A code some entries carry and others not.
        picked = [...counts].find(([code, n]) => code !== '' && n < all.length)?.[0] ?? '';
        return picked;
      },
      expected: async () =>
        (await resources(gp(), type, { patient: marie.id, _count: '100' }))
          .filter((r) => codeOf(r, param) === picked)
          .map((r) => r.id!),
    };
  };

  const profileTypes = [
    'MedicationStatement',
    'AllergyIntolerance',
    'Condition',
    'Encounter',
    'FamilyMemberHistory',
    'Immunization',
    'Observation',
    'RelatedPerson',
  ];

  /** Jean's current documents by Dr Martin: A, and what the demo's GP wrote for him (his VSM). */
  const byMartin = async () =>
    (await idsOf(gp(), 'DocumentReference', byJeanIns())).filter((id) => id !== docB);

  const cases = (): Record<string, ParamCase> => ({
    'Patient.identifier': {
      token: gp,
      base: {},
      value: jeanIns,
      expected: () => [jean.id],
    },
    ...patientCases('DocumentReference', () => jean),
    'DocumentReference.subject': {
      token: gp,
      base: {},
      value: () => `Patient/${jean.id}`,
      expected: () => idsOf(gp(), 'DocumentReference', byJeanIns()),
    },
    'DocumentReference.subject.identifier': {
      token: gp,
      base: {},
      value: jeanIns,
      expected: () => idsOf(gp(), 'DocumentReference', byJeanIns()),
    },
    ...Object.fromEntries(
      (
        [
          ['identifier', () => masterA, () => [docA]],
          ['status', () => 'superseded', () => [docC]],
          ['type', () => 'http://loinc.org|11488-4', () => [docA]],
          ['category', () => '10', () => [docA]],
          ['format', () => 'urn:ihe:iti:xds:2017:mimeTypeSufficient', () => [docA]],
          ['facility', () => 'SA01', () => [docA]],
          ['setting', () => 'AMBULATOIRE', () => [docA]],
          ['event', () => 'E11', () => [docA]],
          ['security-label', () => 'R', () => [docB]],
          ['related', () => 'urn:oid:1.2.250.1.999.1|ORD-1', () => [docA]],
          ['creation', () => 'lt2025-01-01', () => [docA]],
          ['date', () => '2024-03-02', () => [docA]],
          ['period', () => 'ge2025-01-01', () => [docB]],
          ['author.given', () => 'clai', byMartin],
          ['author.family', () => 'dup', () => [docB]],
          ['author.identifier', () => 'urn:oid:1.2.250.1.71.4.2.1|810001000115', byMartin],
        ] as const
      ).map(([name, value, expected]) => [
        `DocumentReference.${name}`,
        {
          token: gp,
          get base() {
            return byJeanIns();
          },
          value,
          expected,
        } satisfies ParamCase,
      ]),
    ),
    ...pageCases('DocumentReference', gp, byJeanIns),

    ...patientCases('List', () => marie),
    'List.code': {
      // Carnet keeps no folders: asking for them answers none.
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: () => 'folder',
      expected: () => [],
      none: true,
    },
    'List.date': {
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: () => `ge${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`,
      expected: () => [],
      none: true,
    },
    'List.designationType': {
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: () => 'urn:oid:1.2.250.1.71.4.2.4|SA07',
      expected: () => [listIds[0]!],
    },
    'List.identifier': {
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: () => `urn:uuid:${listIds[1]}`,
      expected: () => [listIds[1]!],
    },
    'List.sourceId': {
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: () => '1.2.250.1.999.5',
      expected: () => [listIds[0]!],
    },
    'List.source.given': {
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: () => 'cla',
      expected: () => [listIds[1]!],
    },
    'List.source.family': {
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: () => 'mart',
      expected: () => [listIds[1]!],
    },
    'List.status': {
      // Submission sets are never retired in the DMP: asking for retired ones answers none.
      token: gp,
      get base() {
        return { patient: marie.id };
      },
      value: () => 'retired',
      expected: () => [],
      none: true,
    },
    ...pageCases('List', gp, () => ({ patient: marie.id })),

    'AuditEvent.patient': {
      token: () => tokens.marie,
      base: {},
      value: () => marie.id,
      expected: () => 'some',
    },

    ...pageCases(
      'Communication',
      () => tokens.emilie,
      () => ({}),
    ),

    ...Object.fromEntries(
      profileTypes.flatMap((type) =>
        Object.entries({
          ...patientCases(type, () => marie),
          ...pageCases(type, gp, () => ({ patient: marie.id })),
          [`${type}.code`]: codedCase(type, 'code'),
          [`${type}.category`]: codedCase(type, 'category'),
        }),
      ),
    ),

    ...patientCases('ExplanationOfBenefit', () => marie),
    ...pageCases('ExplanationOfBenefit', gp, () => ({ patient: marie.id })),

    'Appointment.patient': {
      token: gp,
      base: {},
      value: () => marie.id,
      expected: () => idsOf(gp(), 'Appointment', { patient: marie.id }),
    },
    // The patient also sees what was cancelled; a professional only what is booked.
    'Appointment.date': {
      token: () => tokens.marie,
      get base() {
        return { patient: marie.id };
      },
      value: () => 'ge2030-02-01',
      expected: () => [appointmentIds[1]!],
    },
    'Appointment.status': {
      token: () => tokens.marie,
      get base() {
        return { patient: marie.id };
      },
      value: () => 'cancelled',
      expected: () => [appointmentIds[1]!],
    },
    ...pageCases(
      'Appointment',
      () => tokens.marie,
      () => ({}),
    ),
  });

  const declared = () =>
    (statement.rest?.[0]?.resource ?? []).flatMap((r) =>
      (r.searchParam ?? []).map((p) => `${r.type}.${p.name}`),
    );

  it('has a case for every declared parameter', () => {
    const known = new Set(Object.keys(cases()));
    expect(declared().filter((name) => !known.has(name))).toEqual([]);
    expect(declared().length).toBeGreaterThan(50);
  });

  it('answers differently with each declared parameter, and as expected', async () => {
    const all = cases();
    const failures: string[] = [];
    for (const key of declared()) {
      const c = all[key];
      if (!c) continue;
      const type = key.slice(0, key.indexOf('.'));
      const param = key.slice(key.indexOf('.') + 1);
      const token = c.token();
      const value = await c.value();
      const without = await search(token, type, c.base);
      const within = await search(token, type, { ...c.base, [param]: value });
      const expected = await c.expected();
      const problems = [
        within.status !== 200 ? `status ${within.status}` : '',
        expected === 'some'
          ? within.ids.length === 0
            ? 'answered nothing'
            : ''
          : JSON.stringify(within.ids) !== JSON.stringify(expected)
            ? `answered ${JSON.stringify(within.ids)}, expected ${JSON.stringify(expected)}`
            : '',
        // An empty expectation proves nothing unless the parameter can only narrow to nothing.
        expected !== 'some' && expected.length === 0 && !c.none ? 'nothing expected' : '',
        without.status === within.status &&
        JSON.stringify(without.ids) === JSON.stringify(within.ids) &&
        without.total === within.total
          ? 'the same answer as without it'
          : '',
      ].filter(Boolean);
      if (problems.length) failures.push(`${key}=${value}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
