import { describe, expect, it } from 'vitest';
import {
  appFor,
  briseDeGlace,
  childB,
  consented,
  patient,
  patientA,
  professional,
  record,
} from './record-policy.fixtures.ts';
import {
  agendaAuthorOf,
  agendaShowsCancelled,
  agendaWriteOf,
  decideAgenda,
  decideAppointmentChange,
} from './agenda-policy.ts';

const doctor = professional('10');
const blocked = { blocked: true, administrator: false, consent: true };

describe('agenda access decision', () => {
  it('lets a professional push an appointment to an open record without consent, not read it back', () => {
    const open = record({ relation: undefined });
    expect(decideAgenda(doctor, open, 'push')).toEqual({ allowed: true, emergency: false });
    expect(decideAgenda(doctor, open, 'read')).toEqual({ allowed: false, reason: 'consent-required' });
    expect(decideAgenda(doctor, record({ relation: consented }), 'read').allowed).toBe(true);
  });

  it('refuses a professional the patient blocked, and any professional on a closed record', () => {
    expect(decideAgenda(doctor, record({ relation: blocked }), 'push')).toEqual({
      allowed: false,
      reason: 'blocked',
    });
    expect(decideAgenda(doctor, record({ relation: blocked }), 'read')).toMatchObject({ reason: 'blocked' });
    for (const state of ['closed', 'opposed'] as const) {
      expect(decideAgenda(doctor, record({ profileState: state }), 'push')).toMatchObject({
        reason: 'record-closed',
      });
    }
  });

  it('reads in emergency only as the patient allows', () => {
    const urgent = professional('10');
    const emergency = briseDeGlace('Inconscient');
    expect(decideAgenda(urgent, record({ relation: undefined, emergency }), 'read')).toEqual({
      allowed: true,
      emergency: true,
    });
    const refused = record({
      relation: undefined,
      emergency,
      settings: { ...record().settings, allowBrisDeGlace: false },
    });
    expect(decideAgenda(urgent, refused, 'read')).toMatchObject({ reason: 'emergency-not-allowed' });
  });

  it('never lets a professional edit or delete the patient’s agenda', () => {
    expect(decideAgenda(doctor, record({ relation: consented }), 'manage')).toMatchObject({ reason: 'role' });
  });

  it('lets the patient and a minor’s representative do everything, nobody else', () => {
    for (const action of ['read', 'push', 'manage'] as const) {
      expect(decideAgenda(patient(patientA), record(), action).allowed).toBe(true);
      const parent = patient('parent' as typeof patientA, ['parent' as typeof patientA, childB]);
      expect(decideAgenda(parent, record({ patientId: childB, patientIsMinor: true }), action).allowed).toBe(
        true,
      );
      expect(decideAgenda(patient(childB), record(), action)).toMatchObject({ reason: 'not-own-record' });
    }
  });

  it('gives a connected app what its purposes say', () => {
    const reader = appFor(patientA, ['read-agenda']);
    expect(decideAgenda(reader, record(), 'read').allowed).toBe(true);
    expect(decideAgenda(reader, record(), 'push')).toMatchObject({ reason: 'scope' });
    expect(decideAgenda(appFor(patientA, ['write-agenda']), record(), 'push').allowed).toBe(true);
    expect(decideAgenda(appFor(patientA, ['write-agenda']), record(), 'manage')).toMatchObject({
      reason: 'role',
    });
    expect(decideAgenda(appFor(childB, ['read-agenda']), record(), 'read')).toMatchObject({
      reason: 'not-own-record',
    });
  });

  it('lets only the author of a pushed appointment change it, while it may still push', () => {
    const author = agendaAuthorOf(doctor);
    expect(decideAppointmentChange(doctor, record(), author)).toEqual({ allowed: true, emergency: false });
    const colleague = professional('10', { id: '810000000999' });
    expect(decideAppointmentChange(colleague, record(), author)).toMatchObject({ reason: 'not-author' });
    // The patient's own entries have no author: no professional changes them.
    expect(decideAppointmentChange(doctor, record({ relation: consented }), null)).toMatchObject({
      reason: 'not-author',
    });
    expect(decideAppointmentChange(doctor, record({ relation: blocked }), author)).toMatchObject({
      reason: 'blocked',
    });
    const app = appFor(patientA, ['write-agenda']);
    expect(decideAppointmentChange(app, record(), agendaAuthorOf(app)).allowed).toBe(true);
    expect(
      decideAppointmentChange(appFor(patientA, ['read-agenda']), record(), agendaAuthorOf(app)),
    ).toMatchObject({ reason: 'scope' });
    expect(decideAppointmentChange(patient(patientA), record(), null)).toMatchObject({ reason: 'role' });
  });

  it('refuses the insurer and auditors', () => {
    expect(decideAgenda({ kind: 'insurer' }, record(), 'push')).toMatchObject({ reason: 'role' });
    expect(decideAgenda({ kind: 'auditor', id: 'a', name: 'A' }, record(), 'read')).toMatchObject({
      reason: 'role',
    });
  });
});

describe('what the agenda shows and how a write is decided', () => {
  it('shows cancelled events to the patient only, and lets only the patient add reminders', () => {
    expect(agendaShowsCancelled(patient(patientA))).toBe(true);
    expect(agendaShowsCancelled(doctor)).toBe(false);
    expect(agendaWriteOf(patient(patientA))).toEqual({ action: 'manage', remindersAllowed: true });
    expect(agendaWriteOf(doctor)).toEqual({ action: 'push', remindersAllowed: false });
  });
});
