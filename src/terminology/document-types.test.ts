import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CDA_EXAMPLES } from '../record/content/test-files.ts';
import { describe, expect, it } from 'vitest';
import { documentClasses, documentTypes, findDocumentType, LOINC, TRE_A05_SYSTEM } from './document-types.ts';

const examples = CDA_EXAMPLES;

describe('document types', () => {
  it('knows the key document types with their class (ANS correspondence ASS_X04)', () => {
    expect(findDocumentType('60591-5')).toMatchObject({ classCode: '11', system: LOINC, deprecated: false });
    expect(findDocumentType('11490-0')?.classCode).toBe('10');
    expect(findDocumentType('57833-6')?.classCode).toBe('42');
    expect(findDocumentType('60593-1')?.classCode).toBe('43');
    expect(findDocumentType('96874-3')?.classCode).toBe('52');
    // The ANS files an imaging report under imaging (31) and the vaccination history as a certificate (52).
    expect(findDocumentType('18748-4')?.classCode).toBe('31');
    expect(findDocumentType('11369-6')?.classCode).toBe('52');
    expect(findDocumentType('REMB')).toMatchObject({
      classCode: '60',
      system: TRE_A05_SYSTEM,
      producer: 'insurer',
    });
    expect(findDocumentType('DOCPAT04')).toMatchObject({ classCode: '31', producer: 'patient' });
    expect(findDocumentType('EXPPAT_3')).toMatchObject({ classCode: '90', display: 'Directives anticipées' });
  });

  it('knows every type of both JDV_J07 editions, with the French label of the newest', () => {
    const official = documentTypes.filter((t) => t.origin === 'official');
    expect(official).toHaveLength(123);
    for (const code of [
      '18761-7',
      '34133-9',
      '57828-6',
      '60568-3',
      '77436-4',
      '11506-3',
      'PROT_ALD',
      'CERT_DECL',
    ]) {
      expect(findDocumentType(code), code).toMatchObject({ deprecated: false, origin: 'official' });
    }
    expect(findDocumentType('DOCPAT07')).toMatchObject({ producer: 'patient', classCode: '52' });
    expect(findDocumentType('18761-7')?.display).toBe(
      "Note de transfert (dont lettre de liaison à l'entrée en établissement de soins)",
    );
    // Added by the 2026 edition.
    expect(findDocumentType('96163-1')).toMatchObject({
      display: 'Bilan de soins infirmiers',
      deprecated: false,
    });
    expect(findDocumentType('E1762')).toMatchObject({ classCode: 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1' });
  });

  it('marks the codes withdrawn from JDV_J07 (2017) as deprecated but still known', () => {
    for (const code of ['10213-7', '11493-4', '11528-7', '24611-6', '27899-4', '29550-1', '46241-6']) {
      expect(findDocumentType(code)).toMatchObject({ deprecated: true, origin: 'withdrawn' });
    }
  });

  it('matches the system in any spelling, and refuses a wrong one', () => {
    expect(findDocumentType('11502-2', '2.16.840.1.113883.6.1')?.code).toBe('11502-2');
    expect(findDocumentType('11502-2', 'urn:oid:2.16.840.1.113883.6.1')?.code).toBe('11502-2');
    expect(findDocumentType('11502-2', 'http://loinc.org')?.code).toBe('11502-2');
    expect(findDocumentType('SYNTH', '1.2.250.1.213.1.1.4.12')?.classCode).toBe('11');
    expect(findDocumentType('SYNTH', 'urn:oid:1.2.250.1.213.1.1.4.12')?.classCode).toBe('11');
    expect(
      findDocumentType(
        'SYNTH',
        'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire',
      )?.classCode,
    ).toBe('11');
    expect(findDocumentType('11502-2', TRE_A05_SYSTEM)).toBeUndefined();
    expect(findDocumentType('99999-9')).toBeUndefined();
  });

  it('gives every class of JDV_J06 its French label, and every type a class of it', () => {
    expect(documentClasses['90']).toBe('Autres documents déposés par le patient');
    for (const type of documentTypes) expect(documentClasses[type.classCode], type.code).toBeDefined();
  });

  const files = readdirSync(examples).filter((f) => f.endsWith('.xml'));
  it.each(files)('knows the type of the ANS example %s', (file) => {
    const xml = readFileSync(path.join(examples, file), 'utf8');
    // The header's own <code> is the first one after the document id (before any participant or section).
    const header = /<ClinicalDocument[\s\S]*?<id [^>]*\/>\s*(?:<!--[\s\S]*?-->\s*)*<code\s([^>]*)>/.exec(xml);
    const attrs = header?.[1] ?? '';
    const code = /\bcode="([^"]+)"/.exec(attrs)?.[1] ?? '';
    const system = /\bcodeSystem="([^"]+)"/.exec(attrs)?.[1];
    const type = findDocumentType(code, system);
    expect(type, `${file}: ${code} ${system}`).toBeDefined();
    expect(type?.deprecated).toBe(false);
  });
});
