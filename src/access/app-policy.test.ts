import { describe, expect, it } from 'vitest';
import { decideAgenda, decideAppointmentChange } from './agenda-policy.ts';
import { appScopeAllows, decide } from './policy.ts';
import { decideProfile } from './profile-policy.ts';
import { decideDeposit } from './deposit-policy.ts';
import { decideDocument } from './record-policy.ts';
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
      emergency: false,
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
  // Security review regression: fails on 027241f, before the fix.
  it('lets an app read its patient’s identity only with a purpose that names her: not to write measurements', () => {
    const identity = {
      type: 'patient.read-identity',
      patientId: patientA,
      profileState: 'activated',
    } as const;
    expect(decide(writer, identity)).toEqual({ allowed: false, reason: 'scope' });
    expect(decide(appFor(patientA, ['read-measurements', 'write-agenda']), identity).allowed).toBe(false);
    expect(decide(appFor(patientA, ['read-documents']), identity).allowed).toBe(true);
    expect(decide(appFor(patientA, ['read-profile']), identity).allowed).toBe(true);
    expect(decide(reader, { type: 'patient.find', profileState: 'activated' }).allowed).toBe(false);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('does, within a purpose, only the interactions its SMART scopes name', () => {
    const creator = appFor(patientA, ['write-measurements'], ['patient/Observation.c']);
    expect(decideProfile(creator, record(), 'measurements', 'write', false).allowed).toBe(true);
    const updater = appFor(patientA, ['write-measurements'], ['patient/Observation.u']);
    expect(decideProfile(updater, record(), 'measurements', 'write', false)).toEqual({
      allowed: false,
      reason: 'scope',
    });

    const pusher = appFor(patientA, ['write-agenda', 'read-agenda'], ['patient/Appointment.c']);
    expect(decideAgenda(pusher, record(), 'push').allowed).toBe(true);
    expect(decideAgenda(pusher, record(), 'read')).toEqual({ allowed: false, reason: 'scope' });
    expect(decideAppointmentChange(pusher, record(), 'app:glucosuivi')).toEqual({
      allowed: false,
      reason: 'scope',
    });
    const rescheduler = appFor(patientA, ['write-agenda'], ['patient/Appointment.cu']);
    expect(decideAppointmentChange(rescheduler, record(), 'app:glucosuivi').allowed).toBe(true);
    expect(decideAppointmentChange(rescheduler, record(), 'app:another').allowed).toBe(false);
  });

  it('reads SMART v1 and v2 permissions as the specification does, and nothing else', () => {
    const interactions = ['c', 'r', 'u', 'd', 's'] as const;
    /** The interactions one scope allows on a resource type, as v2 letters. */
    const granted = (scope: string, resource = 'Observation') =>
      interactions.filter((i) => appScopeAllows(appFor(patientA, [], [scope]), resource, i)).join('');
    expect(granted('patient/Observation.write')).toBe('cud');
    expect(granted('patient/Observation.read')).toBe('rs');
    expect(granted('patient/Observation.*')).toBe('cruds');
    expect(granted('patient/Observation.c')).toBe('c');
    expect(granted('patient/Observation.rs')).toBe('rs');
    expect(granted('patient/*.cruds', 'Appointment')).toBe('cruds');
    expect(granted('patient/Observation.cruds', 'Appointment')).toBe('');
    // Letters out of order, unknown letters, or a user-level scope grant nothing.
    expect(granted('patient/Observation.sc')).toBe('');
    expect(granted('patient/Observation.cx')).toBe('');
    expect(granted('user/Observation.write')).toBe('');
  });
});
