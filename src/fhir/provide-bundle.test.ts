import { describe, expect, it } from 'vitest';
import { CarnetError } from '../shared/index.ts';
import { insConditional, provideBundle, type TestDocument } from './mhd-test-bundles.ts';
import { parseProvideBundle } from './provide-bundle.ts';

const subject = insConditional('1.2.250.1.213.1.4.8', '168047505611243');
const doc: TestDocument = {
  bytes: new TextEncoder().encode('Compte rendu'),
  contentType: 'text/plain',
  typeCode: '11488-4',
};

function refusal(body: unknown): CarnetError {
  try {
    parseProvideBundle(body);
  } catch (error) {
    if (error instanceof CarnetError) return error;
    throw error;
  }
  throw new Error('expected the bundle to be refused');
}

describe('ITI-65 bundle reading', () => {
  it('pairs each DocumentReference with the Binary its attachment.url names', () => {
    const bundle = parseProvideBundle(provideBundle(subject, [doc, doc]));
    expect(bundle.documents.map((d) => [d.entryIndex, d.binaryIndex])).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('refuses a Binary no DocumentReference points to, before anything is stored', () => {
    const good = provideBundle(subject, [doc]);
    const stray = {
      fullUrl: 'urn:uuid:0b7c1c0e-8f7a-4c55-9d55-3f1f6e1a2b3c',
      resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'b3JwaGVsaW4=' },
      request: { method: 'POST', url: 'Binary' },
    };
    const error = refusal({ ...good, entry: [...good.entry!, stray] });
    expect(error).toMatchObject({ status: 422, code: 'binary-unreferenced', expression: 'Bundle.entry[3]' });
    // Without a fullUrl nothing can point to it either.
    const { fullUrl: _, ...anonymous } = stray;
    expect(refusal({ ...good, entry: [...good.entry!, anonymous] })).toMatchObject({
      code: 'binary-unreferenced',
      expression: 'Bundle.entry[3]',
    });
  });
});
