import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansCdaCheck, ansKitDir, schematronsFor } from './ans-cda-check.ts';

const example = readFileSync(path.join(ansKitDir, '../cda-examples/VSM_1.4_2022.01.xml'), 'utf8');

describe('the ANS conformance harness', () => {
  it('passes the official VSM example and names the rule a mutated copy breaks', async () => {
    const mutated = example.replace('code="SYNTH"', 'code="60591-5"');
    const result = await ansCdaCheck({ official: example, mutated }, schematronsFor('CI-SIS_VSM_2023.01'));
    expect(result.official).toEqual([]);
    expect(result.mutated!.map((f) => f.text)).toContainEqual(expect.stringContaining('SYNTH'));
  }, 60_000);
});
