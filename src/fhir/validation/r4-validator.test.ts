import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { validateAnswer } from './r4-validator.ts';

const consentWithoutPolicy = {
  resourceType: 'Consent',
  status: 'active',
  scope: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
  },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: 'Patient/1' },
} as Resource;

const messages = (resource: unknown) => validateAnswer(resource as Resource).errors.map((e) => e.message);

describe('validateAnswer', () => {
  it('accepts a valid resource', () => {
    expect(messages({ resourceType: 'Patient', id: 'a', birthDate: '1985-07-14' })).toEqual([]);
  });

  it('reports broken invariants, bad primitives and unknown properties', () => {
    expect(messages(consentWithoutPolicy).join()).toContain('ppc-1');
    expect(messages({ resourceType: 'Patient', birthDate: '14/07/1985', nickname: 'x' })).toEqual(
      expect.arrayContaining(['Invalid date format', 'Invalid additional property "nickname"']),
    );
  });

  it('checks each resource inside a Bundle and inside contained', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: { resourceType: 'Patient', birthDate: 'hier' } }],
    };
    expect(validateAnswer(bundle as Resource).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resourceType: 'Patient', expression: 'Patient.birthDate' }),
      ]),
    );
    const contained = { resourceType: 'Patient', contained: [consentWithoutPolicy] };
    expect(messages(contained).join()).toContain('ppc-1');
  });

  it('reports a resource the FHIR XML form would not carry whole', () => {
    // FHIR.js does not know R4's uuid type: such an extension would lose its value in XML.
    const patient = {
      resourceType: 'Patient',
      extension: [{ url: 'https://example.org/u', valueUuid: 'urn:uuid:1' }],
    };
    expect(messages(patient).join()).toContain('XML round trip');
  });
});

describe('the test-suite hook (fhir-validation.setup.ts)', () => {
  const harness = () =>
    (globalThis as { [key: symbol]: { failures: string[]; pending: unknown[] } | undefined })[
      Symbol.for('carnet.fhir-validation')
    ]!;
  const failures = () => harness().failures;
  // Validation runs just after the answer is sent.
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it('records an invalid resource sent under /fhir by any Fastify app, and nothing elsewhere', async () => {
    const app = Fastify();
    app.get('/fhir/Consent/1', async () => consentWithoutPolicy);
    app.get('/api/consent', async () => consentWithoutPolicy);
    await app.inject({ method: 'GET', url: '/api/consent' });
    await settled();
    expect(harness().pending).toEqual([]);
    expect(failures()).toEqual([]);
    await app.inject({ method: 'GET', url: '/fhir/Consent/1' });
    await settled();
    expect(harness().pending).toEqual([]);
    // Taken out of the list here, so that this test does not fail on purpose.
    const recorded = failures().splice(0);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatch(/^GET \/fhir\/Consent\/1 → 200: Consent Consent: Constraint ppc-1/);
    await app.close();
  });
});
