import { describe, expect, it } from 'vitest';
import type { PatientId } from '../identity/index.ts';
import { emptyMetadata, type DocumentId, type RecordDocument } from './document.ts';
import {
  allWordsStart,
  dateWords,
  documentSearchWords,
  searchPrefixes,
  searchToken,
  searchTokenRows,
  searchWords,
} from './search-index.ts';

const keys = { documentKey: { id: 'k1', key: Buffer.alloc(32, 7) } } as never;

const letter: RecordDocument = {
  id: 'd1' as DocumentId,
  patientId: 'p1' as PatientId,
  masterIdentifier: 'urn:uuid:d1',
  typeCode: '34112-3',
  typeSystem: 'http://loinc.org',
  typeDisplay: 'Lettre de sortie',
  classCode: '10',
  title: 'Compte-rendu d’hospitalisation — Cardiologie, Œdème',
  author: {
    kind: 'professional',
    nationalId: '810001000115' as never,
    patientId: undefined,
    name: 'Dr Éloïse Martin',
    givenName: 'Éloïse',
    familyName: 'Martin',
    professionCode: '10' as never,
    specialtyCode: undefined,
    structureNationalId: undefined,
    structureName: 'CHU de Lyon',
  },
  createdAt: '2025-08-07T10:00:00Z',
  serviceStart: '2025-07-30',
  serviceEnd: undefined,
  depositedAt: '2026-01-02T09:00:00.000Z',
  status: 'current',
  confidentiality: [],
  hash: '0',
  size: 1,
  contentType: 'application/pdf',
  replacesId: undefined,
  submissionSetId: undefined,
  metadata: {
    ...emptyMetadata,
    practiceSetting: { system: 's', code: 'ETABLISSEMENT', display: 'Établissement de santé' },
    confidentialityLevel: 'N',
  },
};

describe('the words a record is searched by', () => {
  it('cuts text into words without case, accents or ligatures', () => {
    expect(searchWords('Compte-rendu d’HOSPITALISATION — Œdème')).toEqual([
      'compte',
      'rendu',
      'd',
      'hospitalisation',
      'oedeme',
    ]);
  });

  it('gives a date its year and its month’s French name', () => {
    expect(dateWords('2025-08-07T10:00:00Z')).toEqual(['2025', 'aout']);
    expect(dateWords('2025')).toEqual(['2025']);
    expect(dateWords(undefined)).toEqual([]);
  });

  it('finds a document by its title, type, author, structure, setting and dates', () => {
    const words = documentSearchWords(letter);
    for (const w of ['cardiologie', 'oedeme', 'lettre', 'sortie', 'eloise', 'martin', 'chu', 'lyon'])
      expect(words).toContain(w);
    expect(words).toEqual(expect.arrayContaining(['etablissement', '2025', 'aout', 'juillet']));
    // The deposit date is not the document's: 2026 is not among its words.
    expect(words).not.toContain('2026');
  });

  it('indexes prefixes of two letters and more, up to twenty', () => {
    expect(searchPrefixes('coeur')).toEqual(['co', 'coe', 'coeu', 'coeur']);
    expect(searchPrefixes('a')).toEqual([]);
    expect(searchPrefixes('x'.repeat(30)).at(-1)).toHaveLength(20);
  });

  it('indexes the texts read from the content beside the row’s (a CDA’s section titles)', () => {
    const rows = searchTokenRows(keys, [letter], new Map([[letter.id, ['Facteurs de risque']]]));
    const tokens = new Set(rows.map((r) => r.token));
    expect(tokens.has(searchToken(keys, letter.patientId, 'facteurs'))).toBe(true);
    expect(
      searchTokenRows(keys, [letter]).some(
        (r) => r.token === searchToken(keys, letter.patientId, 'facteurs'),
      ),
    ).toBe(false);
  });

  it('compares texts searched in memory by the index’s rule: every word starts a word', () => {
    const texts = ['Votre dernière HbA1c est stable.', 'Dr Claire Martin'];
    expect(allWordsStart(['hba1c', 'stab', 'martin'], texts)).toBe(true);
    expect(allWordsStart(['derniere'], texts)).toBe(true);
    expect(allWordsStart(['table'], texts)).toBe(false);
    expect(allWordsStart(['hba1c', 'instable'], texts)).toBe(false);
  });

  it('stores digests only, one per distinct prefix of the document', () => {
    const rows = searchTokenRows(keys, [letter]);
    const prefixes = new Set(documentSearchWords(letter).flatMap(searchPrefixes));
    expect(rows).toHaveLength(prefixes.size);
    expect(JSON.stringify(rows)).not.toMatch(/cardio|martin|lyon/i);
  });
});
