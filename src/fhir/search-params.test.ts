import { describe, expect, it } from 'vitest';
import { INS_OID, insKey, insProblemMessage } from '../identity/index.ts';
import { CarnetError } from '../shared/index.ts';
import { parsePatientSearch, patientSearchUrl, type QueryParams } from './search-params.ts';

const ins = `2790351215189${insKey('2790351215189')}`;
const wrongKey = `2790351215189${String((Number(insKey('2790351215189')) % 97) + 1).padStart(2, '0')}`;

function errorOf(query: QueryParams): CarnetError {
  try {
    parsePatientSearch(query);
  } catch (error) {
    if (error instanceof CarnetError) return error;
    throw error;
  }
  throw new Error('expected a CarnetError');
}

describe('parsePatientSearch', () => {
  it('reads an INS in each INS system', () => {
    for (const oid of Object.values(INS_OID)) {
      expect(parsePatientSearch({ identifier: `urn:oid:${oid}|${ins}` })).toEqual({ oid, ins });
    }
  });

  it('reads an INS without system as a value in any system', () => {
    expect(parsePatientSearch({ identifier: ins })).toEqual({ oid: undefined, ins });
  });

  it('refuses a wrong key with the French message and the identifier expression', () => {
    const error = errorOf({ identifier: `urn:oid:1.2.250.1.213.1.4.8|${wrongKey}` });
    expect(error.status).toBe(400);
    expect(error.code).toBe('ins-invalid');
    expect(error.message).toBe(insProblemMessage.key);
    expect(error.expression).toBe('identifier');
  });

  it('refuses a value that is not an INS', () => {
    expect(errorOf({ identifier: 'urn:oid:1.2.250.1.213.1.4.8|12345' }).message).toBe(
      insProblemMessage.format,
    );
  });

  it('refuses another identifier system', () => {
    const error = errorOf({ identifier: `urn:oid:1.2.250.1.71.4.2.1|${ins}` });
    expect([error.status, error.code, error.expression]).toEqual([
      400,
      'identifier-system-unsupported',
      'identifier',
    ]);
    expect(errorOf({ identifier: `|${ins}` }).code).toBe('identifier-system-unsupported');
  });

  it('requires the identifier, once', () => {
    expect(errorOf({}).code).toBe('search-identifier-required');
    expect(errorOf({ identifier: '' }).code).toBe('search-identifier-required');
    expect(errorOf({ identifier: [ins, ins] }).code).toBe('search-parameter-repeated');
  });
});

describe('patientSearchUrl', () => {
  it('states the search the server understood, encoded', () => {
    expect(
      patientSearchUrl('http://x/fhir', {
        oid: INS_OID.nir,
        ins: parsePatientSearch({ identifier: ins }).ins,
      }),
    ).toBe(`http://x/fhir/Patient?identifier=urn%3Aoid%3A1.2.250.1.213.1.4.8%7C${ins}`);
  });
});
