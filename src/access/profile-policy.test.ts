import { describe, expect, it } from 'vitest';
import { profileSections, type ProfileArea } from '../terminology/index.ts';
import { decideProfile, maskedAreasShown } from './profile-policy.ts';
import type { InsurerPrincipal } from './principal.ts';
import {
  briseDeGlace,
  childB,
  consented,
  patient,
  patientA,
  professional,
  record,
} from './record-policy.fixtures.ts';
import type { Decision } from './record-policy.ts';

const outcome = (d: Decision) => (d.allowed ? 'allowed' : d.reason);
const doctor = professional('10');
const dentist = professional('40');
const insurer: InsurerPrincipal = { kind: 'insurer' };
const administrator = { ...consented, administrator: true };

describe('decideProfile', () => {
  it.each([
    // who, area, masked, relation → outcome
    ['doctor', 'vaccinations', false, consented, 'allowed'],
    ['doctor', 'allergies', false, consented, 'allowed'],
    ['doctor', 'treatments', false, consented, 'allowed'],
    ['doctor', 'care-history', false, consented, 'allowed'],
    ['doctor', 'care-history', true, consented, 'masked'],
    ['doctor', 'care-history', true, administrator, 'allowed'],
    ['doctor', 'conditions', true, consented, 'masked'],
    ['doctor', 'conditions', true, administrator, 'allowed'],
    ['dentist', 'vaccinations', false, consented, 'allowed'],
    ['dentist', 'allergies', true, consented, 'masked'],
    ['dentist', 'allergies', true, administrator, 'allowed'],
    ['doctor', 'vaccinations', false, undefined, 'consent-required'],
    ['doctor', 'vaccinations', false, { ...consented, blocked: true }, 'blocked'],
  ] as const)('%s reading %s (masked: %s) → %s', (who, area, masked, relation, expected) => {
    const principal = who === 'doctor' ? doctor : dentist;
    expect(outcome(decideProfile(principal, record({ relation }), area, 'read', masked))).toBe(expected);
  });

  it('never lets a professional write or mask any part', () => {
    for (const area of [...profileSections, 'care-history'] as ProfileArea[]) {
      expect(outcome(decideProfile(doctor, record(), area, 'write', false))).toBe('role');
      expect(outcome(decideProfile(doctor, record(), area, 'mask', false))).toBe('role');
    }
  });

  it('lets a masked part through in emergency only when the patient opted in', () => {
    const emergency = professional('10');
    const noRelation = record({ relation: undefined, emergency: briseDeGlace('Malaise') });
    expect(outcome(decideProfile(emergency, noRelation, 'treatments', 'read', true))).toBe('allowed');
    const optedOut = record({
      ...noRelation,
      settings: { ...noRelation.settings, allowMaskedInEmergency: false },
    });
    expect(outcome(decideProfile(emergency, optedOut, 'treatments', 'read', true))).toBe('masked');
  });

  it('lets the patient and their representative keep the profile, but not rewrite the insurer’s history', () => {
    const parent = patient(patientA, [patientA, childB]);
    const child = record({ patientId: childB, patientIsMinor: true });
    for (const action of ['read', 'write', 'mask'] as const)
      expect(outcome(decideProfile(parent, child, 'vaccinations', action, true))).toBe('allowed');
    expect(outcome(decideProfile(parent, child, 'care-history', 'write', false))).toBe('role');
    expect(outcome(decideProfile(parent, child, 'care-history', 'mask', false))).toBe('allowed');
    expect(outcome(decideProfile(patient(patientA), child, 'allergies', 'read', false))).toBe(
      'not-own-record',
    );
    expect(
      outcome(decideProfile(parent, record({ profileState: 'closed' }), 'allergies', 'read', false)),
    ).toBe('record-closed');
  });

  it('lets the insurer write only vaccinations and the care history, and read nothing', () => {
    expect(outcome(decideProfile(insurer, record(), 'vaccinations', 'write', false))).toBe('allowed');
    expect(outcome(decideProfile(insurer, record(), 'care-history', 'write', false))).toBe('allowed');
    expect(outcome(decideProfile(insurer, record(), 'allergies', 'write', false))).toBe('role');
    expect(outcome(decideProfile(insurer, record(), 'vaccinations', 'read', false))).toBe('role');
  });
});

describe('the masks a reader is told about', () => {
  it('tells the patient every mask, anyone else only those on the sections they asked for', () => {
    const masks = new Set<ProfileArea>(['conditions', 'treatments']);
    expect(maskedAreasShown(patient(patientA), masks, ['allergies'])).toEqual(['conditions', 'treatments']);
    expect(maskedAreasShown(doctor, masks, ['allergies', 'conditions'])).toEqual(['conditions']);
  });
});
