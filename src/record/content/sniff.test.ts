import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from './sniff.ts';
import { CDA_EXAMPLES, makePdf } from './test-files.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);
const minimalCda = (root: string, ns: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!-- x -->\n<${root} xmlns${root.includes(':') ? ':' + root.split(':')[0] : ''}="${ns}"><title>t</title></${root}>`;

describe('sniffFormat', () => {
  it('recognises a real PDF made by pdf-lib', async () => {
    expect(sniffFormat(await makePdf('Bonjour'))).toBe('application/pdf');
  });

  it.each([
    ['JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46), 'image/jpeg'],
    ['JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34), 'image/jpeg'],
    [
      'PNG',
      bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52),
      'image/png',
    ],
    ['TIFF little-endian', bytes(0x49, 0x49, 0x2a, 0x00, 0x08, 0, 0, 0), 'image/tiff'],
    ['TIFF big-endian', bytes(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8), 'image/tiff'],
    ['French text', utf8('Compte rendu : tension 12/8, à revoir dans 3 mois.\nDr Élise'), 'text/plain'],
    ['text with a UTF-8 BOM', utf8('\uFEFFCourrier'), 'text/plain'],
    ['minimal CDA', utf8(minimalCda('ClinicalDocument', 'urn:hl7-org:v3')), 'text/xml'],
    ['prefixed CDA', utf8(minimalCda('hl7:ClinicalDocument', 'urn:hl7-org:v3')), 'text/xml'],
  ])('%s → %s', (_name, input, expected) => {
    expect(sniffFormat(input)).toBe(expected);
  });

  it.each([
    ['empty file', bytes()],
    ['half a PNG signature', bytes(0x89, 0x50, 0x4e, 0x47)],
    ['binary garbage', bytes(0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01)],
    ['text with a NUL byte', utf8('abc\u0000def')],
    ['invalid UTF-8', bytes(0x61, 0x62, 0xc3, 0x28, 0x63)],
    ['mostly control characters', utf8('\u0001\u0002\u0003\u0004ab')],
    ['XML that is not CDA', utf8('<?xml version="1.0"?><note><to>Tove</to></note>')],
    ['ClinicalDocument outside the HL7 namespace', utf8(minimalCda('ClinicalDocument', 'urn:example'))],
    ['ClinicalDocument without namespace', utf8('<ClinicalDocument><title>t</title></ClinicalDocument>')],
    ['malformed CDA', utf8('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>t</ClinicalDocument>')],
    [
      'CDA with a DOCTYPE (entity expansion)',
      utf8(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><ClinicalDocument xmlns="urn:hl7-org:v3"/>',
      ),
    ],
    ['RTF (not an accepted format)', utf8('{\\rtf1\\ansi\u0000')],
  ])('refuses %s', (_name, input) => {
    expect(sniffFormat(input)).toBeUndefined();
  });

  it('takes a text that starts like a PDF for what it is: text, not a PDF', () => {
    expect(sniffFormat(utf8('%PDF is what this claims to be'))).toBe('text/plain');
    expect(sniffFormat(utf8('%PDF-abc'))).toBe('text/plain');
    expect(sniffFormat(bytes(0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34))).toBe('application/pdf');
  });

  it('recognises each official ANS example as CDA', () => {
    for (const file of [
      'VSM_1.4_2022.01.xml',
      'DOC_NON_STRUCTURE_CDA-R2-N1.xml',
      'BIO-CR-BIO_2024.01_TSH_1.xml',
    ]) {
      expect(sniffFormat(readFileSync(path.join(CDA_EXAMPLES, file))), file).toBe('text/xml');
    }
  });
});
