import { describe, expect, it } from 'vitest';
import { isKnownCode } from './index.ts';

describe('clinical code lists', () => {
  it('know the codes of the ANS example VSM and refuse look-alikes', () => {
    // I21.1 and DDAF004 are in VSM_1.4_2022.01.xml, C07AB02 is metoprolol, 20053000 the EDQM oral route.
    expect(isKnownCode('CIM-10', 'I21.1')).toBe(true);
    expect(isKnownCode('CIM-10', 'I21.7')).toBe(false);
    expect(isKnownCode('CCAM', 'DDAF004')).toBe(true);
    expect(isKnownCode('CCAM', 'DDAF0041')).toBe(false);
    expect(isKnownCode('ATC', 'C07AB02')).toBe(true);
    expect(isKnownCode('ATC', 'C07AB99')).toBe(false);
    expect(isKnownCode('EDQM', '20053000')).toBe(true);
    expect(isKnownCode('CIM-10', 'i21.1')).toBe(false);
  });
});
