import { describe, expect, it } from 'vitest';
import { aldLine, careLine, parseFeedLine, splitFields } from './format.ts';

const today = '2026-03-02';
const ins = '168047505611243';

describe('parseFeedLine', () => {
  it('reads a care line with quoted fields, a comma decimal and CRLF', () => {
    expect(
      parseFeedLine(`SOIN;R1;${ins};2025-01-31;Biologie;"HbA1c; glycémie ""à jeun""";Labo;;9,5\r`, today),
    ).toEqual({
      kind: 'care',
      lineId: 'R1',
      ins,
      date: '2025-01-31',
      category: 'biologie',
      label: 'HbA1c; glycémie "à jeun"',
      professional: 'Labo',
      rpps: undefined,
      amountCents: 950,
    });
  });

  it('skips blank and comment lines', () => {
    expect(parseFeedLine('   ', today)).toBeUndefined();
    expect(parseFeedLine('# extraction du 2026-03-01', today)).toBeUndefined();
  });

  it('gives a French reason for each kind of bad line', () => {
    const reason = (line: string) => (parseFeedLine(line, today) as { reason: string }).reason;
    const care = `SOIN;R1;${ins};2025-01-31;maladie;Consultation;Dr A;;26.50`;
    expect(reason(care.replace(';;', ';12345678901;'))).toBe('RPPS invalide');
    expect(reason(care.replace('2025-01-31', '2025-02-30'))).toBe('date « 2025-02-30 » inexistante');
    expect(reason(care.replace('2025-01-31', '31/01/2025'))).toMatch(/attendu AAAA-MM-JJ/);
    expect(reason(care.replace('Consultation', ''))).toBe('libellé manquant');
    expect(reason(care.replace(';R1;', ';R 1;'))).toMatch(/identifiant de ligne invalide/);
    expect(reason(`${care};extra`)).toBe('nature « extra » inconnue');
    expect(reason(`${care};consultation;extra`)).toBe('SOIN : 9 à 10 champs attendus, 11 trouvés');
    expect(reason(`ALD;A1;${ins};2020-01-01`)).toBe('ALD : 5 champs attendus, 4 trouvés');
    expect(reason(`ALD;A1;${ins};2020-01-01;2019-12-31`)).toBe('fin de l’ALD avant son début');
    expect(reason(`ALD;A1;${ins};2099-01-01;`)).toBe('date 2099-01-01 dans le futur');
    expect(reason(care.replace('Consultation', '"Consultation'))).toBe('guillemet non refermé');
    expect(reason(`ATTESTATION_COVID;C1;${ins};2021-12-20;Comirnaty;trois;L1`)).toBe(
      'doses : attendu n/m (ex. 3/3)',
    );
  });

  it('writes lines that read back the same', () => {
    const record = {
      lineId: 'X-1',
      ins,
      date: '2024-02-29',
      category: 'dentaire' as const,
      label: ' Soin; "carie" ',
      professional: 'Dr B',
      rpps: '10001000115',
      amountCents: 3374,
    };
    expect(parseFeedLine(careLine(record), today)).toEqual({
      kind: 'care',
      ...record,
      label: 'Soin; "carie"',
    });
    expect(splitFields('a;"b;c";')).toEqual(['a', 'b;c', '']);
    // The nature is optional: a line of the earlier format still reads, one with it keeps it.
    const consultation = {
      ...record,
      category: 'maladie' as const,
      label: 'Consultation',
      nature: 'visite' as const,
    };
    expect(careLine(consultation)).toMatch(/;33\.74;visite$/);
    expect(parseFeedLine(careLine(consultation), today)).toEqual({ kind: 'care', ...consultation });
    expect(parseFeedLine(careLine(consultation).replace(/visite$/, 'VISITE'), today)).toMatchObject({
      nature: 'visite',
    });
    // An ALD may be recognised beyond today, or with no end.
    const ald = { lineId: 'A-1', ins, date: '2020-03-01', endDate: '2099-02-28' };
    expect(parseFeedLine(aldLine(ald), today)).toEqual({ kind: 'ald', ...ald });
    expect(aldLine({ ...ald, endDate: undefined })).toBe(`ALD;A-1;${ins};2020-03-01;`);
    expect(parseFeedLine(aldLine({ ...ald, endDate: undefined }), today)).toMatchObject({
      endDate: undefined,
    });
  });
});
