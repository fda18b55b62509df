import { describe, expect, it } from 'vitest';
import {
  explicitFhirFormat,
  fromFhirXml,
  negotiate,
  negotiateOrFail,
  toFhirXml,
  withoutEmpty,
} from './fhir-format.ts';

describe('negotiate', () => {
  it('reads every spelling of _format FHIR gives, with or without parameters', () => {
    for (const format of [
      'json',
      'application/fhir+json',
      'application/json',
      'application/fhir+json; fhirVersion=4.0',
    ])
      expect(negotiate(format, undefined)?.format).toBe('json');
    for (const format of ['xml', 'application/fhir+xml', 'application/xml', 'text/xml'])
      expect(negotiate(format, undefined)?.format).toBe('xml');
    // A `+` left unencoded in a query string arrives as a space.
    expect(negotiate('application/fhir xml', undefined)?.format).toBe('xml');
  });

  it('lets _format override Accept', () => {
    expect(negotiate('xml', 'application/fhir+json')?.format).toBe('xml');
    expect(negotiate('json', 'application/fhir+xml')?.format).toBe('json');
  });

  it('follows Accept by quality, then order, and answers the generic type the client named', () => {
    expect(negotiate(undefined, 'application/fhir+xml')).toEqual({
      format: 'xml',
      mediaType: 'application/fhir+xml',
    });
    expect(negotiate(undefined, 'application/fhir+json;q=0.5, application/fhir+xml')?.format).toBe('xml');
    expect(negotiate(undefined, 'text/html, application/xml;q=0.9, */*;q=0.8')).toEqual({
      format: 'xml',
      mediaType: 'application/xml',
    });
    expect(negotiate(undefined, 'application/json')?.mediaType).toBe('application/json');
    expect(negotiate(undefined, 'application/fhir+xml;q=0, */*')?.format).toBe('json');
  });

  it('defaults to FHIR JSON without preference, and finds nothing for formats Carnet does not speak', () => {
    expect(negotiate(undefined, undefined)?.mediaType).toBe('application/fhir+json');
    expect(negotiate(undefined, '*/*')?.format).toBe('json');
    expect(negotiate(undefined, 'text/html')).toBeUndefined();
    expect(negotiate('text/turtle', undefined)).toBeUndefined();
    expect(() => negotiateOrFail('ttl', undefined)).toThrow(/JSON .* XML/);
  });

  it('counts only a named FHIR format, never a wildcard, as a request for the Binary resource', () => {
    expect(explicitFhirFormat(undefined, '*/*')).toBeUndefined();
    expect(explicitFhirFormat(undefined, undefined)).toBeUndefined();
    expect(explicitFhirFormat(undefined, 'application/fhir+xml')?.format).toBe('xml');
    expect(explicitFhirFormat('json', undefined)?.format).toBe('json');
  });
});

describe('FHIR XML', () => {
  const patient = {
    resourceType: 'Patient',
    id: 'p1',
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Marie &amp; <b>Lefèvre</b></p></div>',
    },
    contained: [{ resourceType: 'Organization', id: 'o1', name: 'Cabinet « Roux » & associés' }],
    extension: [{ url: 'https://example.org/e', valueDecimal: 72.5 }],
    identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '285076912304523' }],
    active: false,
    name: [
      {
        family: 'Lefèvre',
        given: ['Marie', 'Anne'],
        _given: [null, { extension: [{ url: 'https://example.org/g', valueCode: 'x' }] }],
      },
    ],
    birthDate: '1985-07-14',
    _birthDate: { extension: [{ url: 'https://example.org/h', valueDateTime: '1985-07-14T10:00:00+02:00' }] },
    multipleBirthInteger: 0,
    managingOrganization: { reference: '#o1' },
  };

  it('writes R4 XML in the FHIR namespace and reads it back to the same JSON', () => {
    const xml = toFhirXml(patient);
    expect(xml).toContain('<Patient xmlns="http://hl7.org/fhir">');
    expect(xml).toContain('<given value="Anne"><extension url="https://example.org/g">');
    expect(xml).toContain('<active value="false"/>');
    expect(fromFhirXml(xml)).toEqual(patient);
  });

  it('keeps Bundles with nested resources, base64 and decimals as numbers', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      link: [{ relation: 'self', url: 'https://x/fhir/Observation?code=a&_count=2' }],
      entry: [
        {
          fullUrl: 'https://x/fhir/Binary/1',
          resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'aGVsbG8=' },
          search: { mode: 'match' },
        },
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'Poids' },
            valueQuantity: { value: 72.25, unit: 'kg' },
          },
        },
      ],
    };
    expect(fromFhirXml(toFhirXml(bundle))).toEqual(bundle);
  });

  it('refuses XML outside the FHIR namespace, DOCTYPEs, unknown types and unknown elements', () => {
    expect(() => fromFhirXml('<Patient><id value="a"/></Patient>')).toThrow(/espace de noms/);
    expect(() =>
      fromFhirXml(
        '<!DOCTYPE x [<!ENTITY a "b">]><Patient xmlns="http://hl7.org/fhir"><id value="&a;"/></Patient>',
      ),
    ).toThrow(/DOCTYPE/);
    expect(() => fromFhirXml('<Patientx xmlns="http://hl7.org/fhir"/>')).toThrow(/Patientx/);
    expect(() => fromFhirXml('<Patient xmlns="http://hl7.org/fhir"><nickname value="a"/></Patient>')).toThrow(
      /élément inconnu/,
    );
    expect(() => fromFhirXml('<Patient xmlns="http://hl7.org/fhir"><id value="a"></Patient>')).toThrow(/XML/);
  });

  it('reads a document with a declaration and comments', () => {
    expect(
      fromFhirXml(
        '<?xml version="1.0"?><!-- <b>note</b> --><Patient xmlns="http://hl7.org/fhir"><id value="a"/></Patient>',
      ),
    ).toEqual({ resourceType: 'Patient', id: 'a' });
  });
});

describe('withoutEmpty', () => {
  it('leaves out empty strings, arrays and objects, keeping array positions and everything else', () => {
    const answer = {
      resourceType: 'Bundle',
      total: 0,
      entry: [],
      meta: { tag: [{}], versionId: '' },
      link: [{ relation: 'self', url: 'x' }],
      flags: [false, null, ''],
      given: ['', 'Jeanne'],
      nested: { a: { b: [[]] } },
    };
    expect(withoutEmpty(answer)).toEqual({
      resourceType: 'Bundle',
      total: 0,
      link: [{ relation: 'self', url: 'x' }],
      flags: [false, null, null],
      given: [null, 'Jeanne'],
    });
    expect(withoutEmpty({ entry: [] })).toBeUndefined();
  });

  it('keeps a key named __proto__ as a key, never as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "yes"}, "id": "1"}') as object;
    const kept = withoutEmpty(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.keys(kept)).toEqual(['__proto__', 'id']);
    expect((kept as { polluted?: string }).polluted).toBeUndefined();
  });
});
