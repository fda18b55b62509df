import { describe, expect, it } from 'vitest';
import { capabilityStatement } from './capability-statement.ts';
import { parseDocumentSearch } from './document-search-params.ts';

describe('capabilityStatement', () => {
  const statement = capabilityStatement({
    fhirBase: 'http://x/fhir',
    tokenIssuer: 'https://auth.esante.gouv.fr/auth/realms/esante-wallet',
    date: '2025-01-01T00:00:00.000Z',
    softwareVersion: '1.2.3',
    patientAuthorization: {
      authorize: 'http://x/oauth/authorize',
      token: 'http://x/oauth/token',
      revoke: 'http://x/oauth/revoke',
    },
  });

  it('tells SMART apps where to ask the patient for access', () => {
    const oauth = statement.rest?.[0]?.security?.extension?.[0];
    expect(oauth?.url).toBe('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(oauth?.extension).toEqual([
      { url: 'authorize', valueUri: 'http://x/oauth/authorize' },
      { url: 'token', valueUri: 'http://x/oauth/token' },
      { url: 'revoke', valueUri: 'http://x/oauth/revoke' },
    ]);
  });

  it('is an R4 JSON and XML server statement of Carnet, implementing the PDSm document sharing manager', () => {
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      format: ['json', 'xml'],
      patchFormat: ['application/json-patch+json', 'application/fhir+json', 'application/fhir+xml'],
      instantiates: [
        'https://interop.esante.gouv.fr/ig/fhir/pdsm/CapabilityStatement/PDSm-GestionnaireDePartageDeDocuments',
      ],
      implementationGuide: [
        'https://interop.esante.gouv.fr/ig/fhir/pdsm/ImplementationGuide/ans.fhir.fr.pdsm',
      ],
      kind: 'instance',
      software: { name: 'Carnet', version: '1.2.3' },
      implementation: { url: 'http://x/fhir' },
    });
  });

  it('asks for OAuth bearer tokens from the named issuer', () => {
    const security = statement.rest?.[0]?.security;
    expect(security?.service?.[0]?.coding?.map((c) => c.code)).toEqual(['OAuth', 'SMART-on-FHIR']);
    expect(security?.description).toContain('https://auth.esante.gouv.fr/auth/realms/esante-wallet');
  });

  it('offers Patient read and search by identifier, and Practitioner read', () => {
    const resources = statement.rest?.[0]?.resource ?? [];
    const byType = Object.fromEntries(resources.map((r) => [r.type, r]));
    expect(byType.Patient?.interaction?.map((i) => i.code)).toEqual(['read', 'search-type']);
    expect(byType.Patient?.searchParam?.map((p) => [p.name, p.type])).toEqual([['identifier', 'token']]);
    expect(byType.Practitioner?.interaction?.map((i) => i.code)).toEqual(['read']);
  });

  it('declares every ITI-67 parameter PDSm lists for DocumentReference, with its type, and what the parser reads', () => {
    const resources = statement.rest?.[0]?.resource ?? [];
    const declared = resources.find((r) => r.type === 'DocumentReference')?.searchParam ?? [];
    const types = Object.fromEntries(declared.map((p) => [p.name, p.type]));
    expect(types).toMatchObject({
      patient: 'reference',
      'patient.identifier': 'token',
      identifier: 'token',
      status: 'token',
      type: 'token',
      category: 'token',
      creation: 'date',
      date: 'date',
      period: 'date',
      event: 'token',
      facility: 'token',
      setting: 'token',
      format: 'token',
      'author.given': 'string',
      'author.family': 'string',
      'security-label': 'token',
      related: 'reference',
      _count: 'number',
    });
    // Declared = implemented: each declared name is read by the parser (never an unknown parameter).
    for (const { name } of declared) {
      const value = name.startsWith('_')
        ? '1'
        : name === 'creation' || name === 'date' || name === 'period'
          ? '2024'
          : name === 'status'
            ? 'current'
            : name === 'security-label'
              ? 'N'
              : 'x';
      const query = /^(patient|subject)/.test(name) ? { [name]: 'p' } : { patient: 'p', [name]: value };
      expect(() => parseDocumentSearch(query, 'strict'), name).not.toThrow();
    }
  });
});
