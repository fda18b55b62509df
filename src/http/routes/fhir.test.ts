import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type FhirResource } from 'fhir-kit-client';
import type {
  Appointment,
  Bundle,
  CapabilityStatement,
  OperationOutcome,
  Patient,
  Practitioner,
} from '@medplum/fhirtypes';
import { demoProfessionals } from '../../demo/index.ts';
import {
  INS_OID,
  insKey,
  insProblemMessage,
  nationalIdOfRpps,
  type Ins,
  type PatientId,
} from '../../identity/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { insuredRow, type InsuredPerson } from '../../insured/index.ts';
import { upsertProfessional, type Professional } from '../../professionals/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

const withKey = (first13: string) => `${first13}${insKey(first13)}` as Ins;

function insured(id: string, ins: Ins, overrides: Partial<InsuredPerson> = {}): InsuredPerson {
  return {
    id: id as PatientId,
    ins,
    insOid: INS_OID.nir,
    birthName: 'Lefèvre',
    usedName: 'Roux',
    firstNames: 'Marie Anne',
    birthDate: '1985-07-14',
    sex: 'female',
    birthPlaceInsee: '69123',
    email: 'marie@example.fr',
    phone: undefined,
    vitaleSerial: undefined,
    profileState: 'activated',
    stateChangedAt: '2024-01-01T00:00:00.000Z',
    deletionRequested: false,
    ...overrides,
  };
}

const marie = insured('0190a5b2-0000-7000-8000-000000000001', withKey('2850769123045'));
const opposed = insured('0190a5b2-0000-7000-8000-000000000002', withKey('1620513055012'), {
  firstNames: 'Jean',
  sex: 'male',
  profileState: 'opposed',
});
const testRange = insured('0190a5b2-0000-7000-8000-000000000003', '279035121518989' as Ins, {
  insOid: INS_OID.testNir,
});
const nir = (ins: string) => `urn:oid:1.2.250.1.213.1.4.8|${ins}`;

/** fhir-kit-client throws on non-2xx with `response: { status, data }` and the response headers in `config`. */
interface ClientError {
  response: { status: number; data: OperationOutcome };
  config: { headers: Headers };
}
async function failure(request: () => Promise<unknown>): Promise<ClientError> {
  try {
    await request();
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('expected the request to fail');
}
const issueOf = (error: ClientError) => error.response.data.issue[0];
/** fhir-kit-client types answers loosely: name the resource type the test expects. */
const as = <T>(resource: FhirResource) => resource as unknown as T;

describe.each(testDialects)('FHIR base on %s', (dialect) => {
  let carnet: TestCarnet;
  let doctor: Professional;
  let client: Client;
  let anonymous: Client;

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    const now = carnet.ctx.clock.now().toISOString();
    await carnet.ctx.db
      .insertInto('patients')
      .values([marie, opposed, testRange].map((p) => insuredRow(p, now)))
      .execute();
    const demo = demoProfessionals[0]!;
    doctor = await upsertProfessional(
      carnet.ctx.db,
      { ...demo, nationalId: nationalIdOfRpps(demo.rpps) },
      now,
    );
    const fhirBase = `${carnet.url}/fhir`;
    anonymous = new Client({ baseUrl: fhirBase });
    client = new Client({ baseUrl: fhirBase });
    client.bearerToken = await issueDevAccessToken(carnet.ctx, { rpps: demo.rpps });
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  it('serves its CapabilityStatement without a token', async () => {
    const answer = await anonymous.capabilityStatement();
    const statement = as<CapabilityStatement>(answer);
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.rest?.[0]?.resource?.map((r) => r.type)).toEqual([
      'Patient',
      'Practitioner',
      'DocumentReference',
      'List',
      'Binary',
      'Consent',
      'AuditEvent',
      'Communication',
      'MedicationStatement',
      'AllergyIntolerance',
      'Condition',
      'Encounter',
      'FamilyMemberHistory',
      'Immunization',
      'Observation',
      'RelatedPerson',
      'ExplanationOfBenefit',
      'Appointment',
    ]);
    const response = Client.httpFor(answer).response;
    expect(response?.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
  });

  it('lets a third-party client push, reschedule and cancel an appointment', async () => {
    const body = (start: string) => ({
      resourceType: 'Appointment' as const,
      status: 'booked' as const,
      description: 'Consultation de suivi',
      start,
      participant: [{ actor: { reference: `Patient/${marie.id}` }, status: 'accepted' as const }],
    });
    const created = as<Appointment>(
      await client.create({ resourceType: 'Appointment', body: body('2027-04-01T07:00:00Z') }),
    );
    const id = created.id!;
    const moved = as<Appointment>(
      await client.update({ resourceType: 'Appointment', id, body: { ...body('2027-04-02T07:00:00Z'), id } }),
    );
    expect(moved).toMatchObject({ id, start: '2027-04-02T07:00:00.000Z', status: 'booked' });
    const cancelled = as<Appointment>(
      await client.update({
        resourceType: 'Appointment',
        id,
        body: { ...body('2027-04-02T07:00:00Z'), id, status: 'cancelled' as const },
      }),
    );
    expect(cancelled.status).toBe('cancelled');
  });

  it('finds a patient with an open DMP by INS, as an FR Core patient', async () => {
    const bundle = as<Bundle<Patient>>(
      await client.search({
        resourceType: 'Patient',
        searchParams: { identifier: nir(marie.ins) },
      }),
    );
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(1);
    const entry = bundle.entry?.[0];
    expect(entry?.fullUrl).toBe(`${carnet.url}/fhir/Patient/${marie.id}`);
    expect(entry?.search?.mode).toBe('match');
    expect(entry?.resource).toMatchObject({
      resourceType: 'Patient',
      id: marie.id,
      meta: { profile: ['https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins'] },
      active: true,
      identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: marie.ins }],
      name: [
        { use: 'official', family: 'Lefèvre', given: ['Marie'] },
        { use: 'usual', family: 'Roux' },
      ],
      birthDate: '1985-07-14',
      gender: 'female',
    });
    expect(bundle.link?.[0]?.url).toContain(encodeURIComponent(nir(marie.ins)));
  });

  it('tells that an opposed person has no open DMP', async () => {
    const bundle = as<Bundle<Patient>>(
      await client.search({
        resourceType: 'Patient',
        searchParams: { identifier: nir(opposed.ins) },
      }),
    );
    expect(bundle.entry?.map((e) => e.resource?.active)).toEqual([false]);
  });

  it('answers an empty searchset for an unknown INS or an INS in another system', async () => {
    for (const identifier of [nir(withKey('1991275056999')), nir(testRange.ins)]) {
      const bundle = as<Bundle>(
        await client.search({
          resourceType: 'Patient',
          searchParams: { identifier },
        }),
      );
      expect([bundle.total, bundle.entry ?? []]).toEqual([0, []]);
    }
    const inTestRange = as<Bundle<Patient>>(
      await client.search({
        resourceType: 'Patient',
        searchParams: { identifier: `urn:oid:1.2.250.1.213.1.4.10|${testRange.ins}` },
      }),
    );
    expect(inTestRange.entry?.[0]?.resource?.identifier?.[0]?.type?.coding?.[0]?.code).toBe('INS-NIR-TEST');
  });

  it('reads a Patient and a Practitioner by id', async () => {
    const patient = as<Patient>(await client.read({ resourceType: 'Patient', id: marie.id }));
    expect(patient.identifier?.[0]?.value).toBe(marie.ins);
    const practitioner = as<Practitioner>(await client.read({ resourceType: 'Practitioner', id: doctor.id }));
    expect(practitioner.identifier?.map((i) => i.value)).toEqual(['810001000115', '10001000115']);
    expect(practitioner.qualification?.[0]?.code.coding?.[0]?.code).toBe('10');
  });

  it('answers 404 OperationOutcomes for unknown ids and unsupported resource types', async () => {
    for (const [resourceType, id] of [
      ['Patient', '0190a5b2-0000-7000-8000-0000000000ff'],
      ['Practitioner', 'nobody'],
      ['Medication', '1'],
    ] as const) {
      const error = await failure(() => client.read({ resourceType, id }));
      expect(error.response.status).toBe(404);
      expect(error.response.data.resourceType).toBe('OperationOutcome');
    }
    const error = await failure(() => client.read({ resourceType: 'Medication', id: '1' }));
    expect(issueOf(error)?.details?.text).toContain('Medication');
  });

  it('refuses every interaction but metadata without a valid token: 401 OperationOutcome', async () => {
    for (const request of [
      () => anonymous.search({ resourceType: 'Patient', searchParams: { identifier: nir(marie.ins) } }),
      () => anonymous.read({ resourceType: 'Patient', id: marie.id }),
      () => anonymous.read({ resourceType: 'Practitioner', id: doctor.id }),
    ]) {
      const error = await failure(request);
      expect(error.response.status).toBe(401);
      expect(error.response.data.resourceType).toBe('OperationOutcome');
      expect(issueOf(error)?.code).toBe('login');
      expect(error.config.headers.get('www-authenticate')).toBe('Bearer realm="Carnet"');
    }
    const forged = new Client({ baseUrl: `${carnet.url}/fhir`, bearerToken: 'not-a-token' });
    const error = await failure(() => forged.read({ resourceType: 'Patient', id: marie.id }));
    expect(error.response.status).toBe(401);
    expect(error.config.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses a wrong INS key with a 400 OperationOutcome naming the identifier', async () => {
    const wrongKey = `${marie.ins.slice(0, 13)}${marie.ins.slice(13) === '01' ? '02' : '01'}`;
    const error = await failure(() =>
      client.search({ resourceType: 'Patient', searchParams: { identifier: nir(wrongKey) } }),
    );
    expect(error.response.status).toBe(400);
    expect(issueOf(error)).toMatchObject({
      code: 'invalid',
      expression: ['identifier'],
      details: { text: insProblemMessage.key },
    });
  });

  it('requires the identifier parameter, and refuses a format other than JSON and XML with a 406', async () => {
    const missing = await failure(() => client.search({ resourceType: 'Patient', searchParams: {} }));
    expect(missing.response.status).toBe(400);
    const turtle = await failure(() =>
      client.search({
        resourceType: 'Patient',
        searchParams: { identifier: nir(marie.ins), _format: 'ttl' },
      }),
    );
    expect(turtle.response.status).toBe(406);
    expect(issueOf(turtle)?.code).toBe('not-supported');
    const json = as<Bundle>(
      await client.search({
        resourceType: 'Patient',
        searchParams: { identifier: nir(marie.ins), _format: 'json' },
      }),
    );
    expect(json.total).toBe(1);
  });
  it('lets a patient read their own Patient, but not search nor read another one', async () => {
    const patientClient = new Client({
      baseUrl: `${carnet.url}/fhir`,
      bearerToken: await issueDevAccessToken(carnet.ctx, { ins: marie.ins }),
    });
    const own = as<Patient>(await patientClient.read({ resourceType: 'Patient', id: marie.id }));
    expect(own.identifier?.[0]?.value).toBe(marie.ins);
    for (const request of [
      () => patientClient.read({ resourceType: 'Patient', id: testRange.id }),
      () => patientClient.search({ resourceType: 'Patient', searchParams: { identifier: nir(marie.ins) } }),
      () =>
        patientClient.search({
          resourceType: 'Patient',
          searchParams: { identifier: nir(withKey('1991275056999')) },
        }),
    ]) {
      const error = await failure(request);
      expect([error.response.status, issueOf(error)?.code]).toEqual([403, 'forbidden']);
    }
  });
});
