import { insKey } from '../../identity/index.ts';

/** Test-only helpers: valid matricules INS and import lines. */
export const withKey = (first13: string) => `${first13}${insKey(first13)}`;

export interface TestPerson {
  ins: string;
  birth_name: string;
  first_names: string;
  birth_date: string;
  sex: 'M' | 'F';
  email?: string;
  vitale_serial: string;
  representative_ins?: string;
  opposed?: boolean;
  used_name?: string;
  phone?: string;
}

/** An adult born in 1980 (or the given year/month), with a valid INS whose order number is `order`. */
export function adult(order: number, overrides: Partial<TestPerson> = {}): TestPerson {
  const serial = String(order).padStart(3, '0');
  return {
    ins: withKey(`1800575056${serial}`),
    birth_name: `MARTIN${order}`,
    first_names: 'Paul Henri',
    birth_date: '1980-05-14',
    sex: 'M',
    email: `paul${order}@exemple.fr`,
    vitale_serial: `8005${serial}99`,
    ...overrides,
  };
}

/** A girl born in June 2015 whose representative is `parentIns`. */
export function child(order: number, parentIns: string, overrides: Partial<TestPerson> = {}): TestPerson {
  const serial = String(order).padStart(3, '0');
  return {
    ins: withKey(`2150675056${serial}`),
    birth_name: `MARTIN${order}`,
    first_names: 'Lucie',
    birth_date: '2015-06-03',
    sex: 'F',
    vitale_serial: `1506${serial}77`,
    representative_ins: parentIns,
    ...overrides,
  };
}

export const jsonLines = (people: readonly object[]) =>
  people.map((p) => JSON.stringify(p)).join('\n') + '\n';
