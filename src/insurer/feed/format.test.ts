import { describe, expect, it } from 'vitest';
import { careLine, parseFeedLine, splitFields } from './format.ts';

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
    expect(reason(`${care};extra`)).toBe('SOIN : 9 champs attendus, 10 trouvés');
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
  });
});
