import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { Ins, PatientId } from '../identity/index.ts';
import {
  profileAreaLabels,
  profileSections,
  type ProfileEntry,
  type ProfileSection,
  type SectionData,
} from '../medical-profile/index.ts';
import { renderSynthesisPdf, TREND_ROWS, winAnsi } from './synthesis-pdf.ts';
import { pdfTextLines } from './test-pdf-text.ts';

const patientId = 'p-1' as PatientId;
let n = 0;
function entry<S extends ProfileSection>(
  section: S,
  data: SectionData[S],
  extra: Partial<ProfileEntry> = {},
): ProfileEntry {
  n += 1;
  return {
    id: `e-${n}`,
    patientId,
    section,
    data,
    source: 'patient',
    sourceRef: null,
    sourceName: null,
    recordedAt: '2026-01-01T10:00:00Z',
    updatedAt: '2026-01-01T10:00:00Z',
    ...extra,
  } as ProfileEntry;
}

const person = {
  firstNames: 'Dominique Marie',
  birthName: 'Pat-Trois',
  usedName: undefined,
  birthDate: '1979-03-15',
  sex: 'female' as const,
  ins: '279035121518989' as Ins,
};

const hba1c = (value: number, at: string) => entry('measurements', { kind: 'hba1c', value, unit: '%', at });

describe('the profile synthesis PDF', () => {
  it('opens, names the patient and shows every section as a heading, masked ones with a note', async () => {
    const entries = [
      entry('treatments', { medication: 'Metformine 1000 mg', dosage: '1 comprimé matin et soir' }),
      entry('allergies', { substance: 'Pénicilline', category: 'medication', severity: 'severe' }),
      entry(
        'vaccinations',
        { vaccine: 'Grippe', vaccineCode: 'grippe', date: '2025-10-20', lot: 'AB12' },
        { source: 'insurer', sourceRef: 'l-1', sourceName: 'Assurance Maladie' },
      ),
      entry('blood-group', { abo: 'AB', rhesus: 'negative' }),
      entry('contacts', { role: 'trusted-person', name: 'Camille Roux', phone: '06 12 34 56 78' }),
      entry('wishes', { kind: 'organ-donation', choice: 'accept' }),
      entry('measurements', {
        kind: 'blood-pressure',
        value: 128,
        value2: 82,
        unit: 'mm[Hg]',
        at: '2026-02-01T08:00:00Z',
      }),
      ...[6.9, 7.4, 7.1, 7.8, 7.0, 6.8, 7.2, 7.3].map((v, i) =>
        hba1c(v, `20${24 + Math.floor(i / 4)}-${String(1 + (i % 4) * 3).padStart(2, '0')}-10T09:00:00Z`),
      ),
    ];
    const bytes = await renderSynthesisPdf({
      person,
      generatedAt: new Date('2026-03-01T10:00:00Z'),
      entries,
      masked: new Set(['allergies']),
      directives: [{ title: 'Mes directives anticipées', depositedAt: '2026-01-15T09:00:00Z' }],
    });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getTitle()).toContain('PAT-TROIS');
    const text = (await pdfTextLines(bytes)).flat();
    expect(text).toContain('Synthèse de mon profil médical');
    expect(text.some((l) => l.includes('279035121518989'))).toBe(true);
    expect(text).toContain('Né(e) le 15/03/1979 · Sexe : Féminin');
    for (const section of profileSections) expect(text).toContain(profileAreaLabels[section]);
    // Only the masked section carries the note, right below its heading.
    const allergies = text.indexOf(profileAreaLabels.allergies);
    expect(text[allergies + 1]).toMatch(/^Masqué aux professionnels/);
    expect(text.filter((l) => l.startsWith('Masqué aux professionnels'))).toHaveLength(1);
    expect(text).toContain('• Pénicilline');
    expect(text.some((l) => l.includes('médicament · gravité grave'))).toBe(true);
    expect(text.some((l) => l.includes('lot AB12') && l.includes('source : Assurance Maladie'))).toBe(true);
    expect(text).toContain('• AB Rhésus négatif (-)');
    expect(text).toContain('• Personne de confiance : Camille Roux');
    expect(text.some((l) => l.includes('J’accepte de donner mes organes'))).toBe(true);
    expect(text.some((l) => l.includes('Mes directives anticipées · document déposé le 15/01/2026'))).toBe(
      true,
    );
    expect(text.some((l) => l.startsWith('Dernière valeur : 128/82 mmHg le 01/02/2026'))).toBe(true);
    // HbA1c: latest value, then a trend table of the most recent readings, newest first.
    expect(text).toContain('Dernière valeur : 7,3 % le 10/10/2025');
    const head = text.indexOf('8 mesures du 10/01/2024 au 10/10/2025 ; les 6 plus récentes :');
    expect(head).toBeGreaterThan(0);
    const table = text.slice(head + 1, head + 3 + 2 * TREND_ROWS);
    expect(table.slice(0, 6)).toEqual(['Date', 'Valeur', '10/10/2025', '7,3 %', '10/07/2025', '7,2 %']);
    expect(table).toContain('7,8 %');
    expect(table).not.toContain('7,4 %');
    expect(table).not.toContain('6,9 %');
    expect(text).toContain('Aucune information renseignée.');
  });

  it('turns pages for a long profile, wraps long text and numbers the pages', async () => {
    const long = 'Traitement au nom particulièrement long '.repeat(8).trim();
    const entries = Array.from({ length: 80 }, (_, i) =>
      entry('treatments', { medication: `${long} n° ${i + 1}` }),
    );
    const bytes = await renderSynthesisPdf({
      person,
      generatedAt: new Date('2026-03-01T10:00:00Z'),
      entries,
      masked: new Set(),
    });
    const pages = await pdfTextLines(bytes);
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((lines, i) =>
      expect(lines.at(-1)).toBe(
        `Synthèse du profil médical de Dominique PAT-TROIS · page ${i + 1} sur ${pages.length}`,
      ),
    );
    const text = pages.flat();
    expect(text.some((l) => l.endsWith('n° 80'))).toBe(true);
    expect(text.filter((l) => l.startsWith('• Traitement'))).toHaveLength(80);
  });

  it('folds characters the standard fonts cannot draw', () => {
    expect(winAnsi('Łódź — 5 µg ≥ 3 ✓ œuf €')).toBe('Lódz — 5 µg ? 3 ? œuf €');
  });
});
