import { describe, expect, it } from 'vitest';
import type { Ins, PatientId } from '../identity/index.ts';
import { decide } from './policy.ts';
import type { PatientPrincipal } from './principal.ts';

const parent = 'parent' as PatientId;
const child = 'child' as PatientId;
const stranger = 'stranger' as PatientId;
const principal: PatientPrincipal = {
  kind: 'patient',
  patientId: parent,
  ins: '0' as Ins,
  actsFor: [parent, child],
};

describe('identity-level policy', () => {
  it('opens the mailboxes one acts for, once activated, and no other', () => {
    expect(decide(principal, { type: 'mailbox.open', patientId: child, profileState: 'activated' })).toEqual({
      allowed: true,
      emergency: false,
    });
    expect(
      decide(principal, { type: 'mailbox.open', patientId: stranger, profileState: 'activated' }),
    ).toEqual({
      allowed: false,
      reason: 'not-own-mailbox',
    });
    expect(decide(principal, { type: 'mailbox.open', patientId: parent, profileState: 'created' })).toEqual({
      allowed: false,
      reason: 'profile-not-activated',
    });
    expect(
      decide({ kind: 'insurer' }, { type: 'mailbox.open', patientId: parent, profileState: 'activated' }),
    ).toMatchObject({
      allowed: false,
    });
  });

  it('lets a patient manage only the profiles they act for', () => {
    expect(decide(principal, { type: 'profile.manage', patientId: child }).allowed).toBe(true);
    expect(decide(principal, { type: 'profile.manage', patientId: stranger }).allowed).toBe(false);
  });
});
