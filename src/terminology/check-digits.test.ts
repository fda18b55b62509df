import { describe, expect, it } from 'vitest';
import { isLoincCode, isSnomedCode } from './check-digits.ts';

describe('check digits', () => {
  it('accept real LOINC codes and refuse a mistyped check digit', () => {
    for (const code of ['29463-7', '8302-2', '8480-6', '8462-4', '74011-8', '11450-4', '60591-5'])
      expect(isLoincCode(code)).toBe(true);
    expect(isLoincCode('29463-8')).toBe(false);
    expect(isLoincCode('294637')).toBe(false);
  });

  it('accept real SNOMED CT identifiers and refuse a mistyped one', () => {
    // 416098002 drug allergy and 282291009 diagnostic interpretation (ANS example VSM), 22298006 myocardial infarction.
    for (const code of ['416098002', '282291009', '22298006', '373270004'])
      expect(isSnomedCode(code)).toBe(true);
    expect(isSnomedCode('416098003')).toBe(false);
    expect(isSnomedCode('022298006')).toBe(false);
  });
});
