import { describe, expect, it } from 'vitest';
import { applyFhirPathPatch, applyJsonPatch, confidentialityChange } from './document-patch.ts';
import { TRE_A07_SYSTEM } from './document-systems.ts';
import { securityLabels } from './security-labels.ts';

const masque = { coding: [{ system: TRE_A07_SYSTEM, code: 'MASQUE_PS' }] };
const operation = (parts: object[]) => ({
  resourceType: 'Parameters',
  parameter: [{ name: 'operation', part: parts }],
});

describe('PATCH of securityLabel', () => {
  it('masks with a JSON Patch add and unmasks with a remove', () => {
    const masked = applyJsonPatch(securityLabels([]), [
      { op: 'add', path: '/securityLabel/-', value: masque },
    ]);
    expect(confidentialityChange([], masked)).toEqual({ add: ['MASQUE_PS'], remove: [] });
    const unmasked = applyJsonPatch(securityLabels(['MASQUE_PS']), [
      { op: 'remove', path: '/securityLabel/1' },
    ]);
    expect(confidentialityChange(['MASQUE_PS'], unmasked)).toEqual({ add: [], remove: ['MASQUE_PS'] });
  });

  it('accepts a FHIRPath Patch add and a delete by code', () => {
    const add = operation([
      { name: 'type', valueCode: 'add' },
      { name: 'path', valueString: 'DocumentReference' },
      { name: 'name', valueString: 'securityLabel' },
      { name: 'value', valueCodeableConcept: masque },
    ]);
    expect(confidentialityChange([], applyFhirPathPatch(securityLabels([]), add)).add).toEqual(['MASQUE_PS']);
    const remove = operation([
      { name: 'type', valueCode: 'delete' },
      {
        name: 'path',
        valueString: "DocumentReference.securityLabel.where(coding.where(code='MASQUE_PS').exists())",
      },
    ]);
    expect(
      confidentialityChange(['MASQUE_PS'], applyFhirPathPatch(securityLabels(['MASQUE_PS']), remove)).remove,
    ).toEqual(['MASQUE_PS']);
  });

  it('refuses anything but securityLabel (422) and unknown labels (422)', () => {
    expect(() => applyJsonPatch([], [{ op: 'replace', path: '/status', value: 'superseded' }])).toThrow(
      expect.objectContaining({
        status: 422,
        code: 'patch-element-not-allowed',
        expression: 'patch[0].path',
      }),
    );
    const other = operation([
      { name: 'type', valueCode: 'replace' },
      { name: 'path', valueString: 'DocumentReference.status' },
    ]);
    expect(() => applyFhirPathPatch([], other)).toThrow(expect.objectContaining({ status: 422 }));
    const labels = applyJsonPatch(
      [],
      [{ op: 'add', path: '/securityLabel/-', value: { coding: [{ code: 'SECRET' }] } }],
    );
    expect(() => confidentialityChange([], labels)).toThrow(
      expect.objectContaining({ status: 422, code: 'security-label-unknown' }),
    );
    expect(() => applyJsonPatch([], {})).toThrow(expect.objectContaining({ status: 400 }));
  });
});
