import { describe, expect, it } from 'vitest';
import { decide } from './policy.ts';
import { decideProfile } from './profile-policy.ts';
import { decideDeposit, decideDocument } from './record-policy.ts';
import { appFor, childB, doc, patientA, record } from './record-policy.fixtures.ts';

const writer = appFor(patientA, ['write-measurements']);
const reader = appFor(patientA, ['read-documents', 'read-profile']);

describe('a connected app acts only within the purposes the patient granted', () => {
  it('reads documents only with read-documents, and never what the patient cannot see', () => {
    expect(decideDocument(reader, record(), doc(), 'read')).toEqual({ allowed: true, emergency: false });
    expect(decideDocument(writer, record(), doc(), 'read')).toEqual({ allowed: false, reason: 'scope' });
    expect(decideDocument(reader, record(), doc({ invisiblePatient: true }), 'read')).toEqual({
      allowed: false,
      reason: 'invisible',
    });
    expect(decideDocument(reader, record(), doc(), 'mask')).toMatchObject({ allowed: false });
  });

  it('writes measurements with write-measurements only, and nothing else of the profile', () => {
    expect(decideProfile(writer, record(), 'measurements', 'write', false).allowed).toBe(true);
    expect(decideProfile(writer, record(), 'allergies', 'write', false)).toEqual({
      allowed: false,
      reason: 'scope',
    });
    expect(decideProfile(writer, record(), 'measurements', 'read', false)).toEqual({
      allowed: false,
      reason: 'scope',
    });
    expect(decideProfile(reader, record(), 'measurements', 'write', false)).toEqual({
      allowed: false,
      reason: 'scope',
    });
    expect(decideProfile(reader, record(), 'allergies', 'read', true).allowed).toBe(true);
    expect(decideProfile(reader, record(), 'care-history', 'read', false).allowed).toBe(false);
    expect(decideProfile(reader, record(), 'allergies', 'mask', false).allowed).toBe(false);
  });

  it('never reaches another profile than the one its grant names, nor deposits documents', () => {
    const other = record({ patientId: childB });
    expect(decideDocument(reader, other, doc(), 'read')).toEqual({
      allowed: false,
      reason: 'not-own-record',
    });
    expect(decideProfile(writer, other, 'measurements', 'write', false).allowed).toBe(false);
    expect(decideDeposit(reader, record(), 'DOCPAT01').allowed).toBe(false);
    expect(
      decide(reader, { type: 'patient.read-identity', patientId: patientA, profileState: 'activated' }),
    ).toEqual({
      allowed: true,
    });
    expect(
      decide(reader, { type: 'patient.read-identity', patientId: childB, profileState: 'activated' }).allowed,
    ).toBe(false);
  });

  it('loses everything when the record is closed', () => {
    expect(decideDocument(reader, record({ profileState: 'closed' }), doc(), 'read')).toEqual({
      allowed: false,
      reason: 'record-closed',
    });
  });
});
