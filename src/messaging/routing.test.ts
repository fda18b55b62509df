import { describe, expect, it } from 'vitest';
import type { PatientId } from '../identity/index.ts';
import {
  checkEnvelopeSender,
  decideForProfile,
  deferredReason,
  isPatientDomainAddress,
  normalizeAddress,
  parseRecipient,
  patientAddress,
  splitAddress,
} from './routing.ts';

const D = 'patient.mssante.fr';
const INS = '168047505611243';

describe('recipient address', () => {
  it.each([
    [`${INS}@${D}`],
    [`${INS}@PATIENT.MSSANTE.FR`],
    [`<${INS}@${D}>`],
    [`Jean Dupont <${INS}@${D}>`],
    [` ${INS}@${D} `],
  ])('accepts %s', (address) => {
    expect(parseRecipient(address, D)).toEqual({ ok: true, ins: INS });
  });

  it('accepts Corsican INS in either case, and returns it upper-cased', () => {
    expect(parseRecipient(`240122b03300744@${D}`, D)).toEqual({ ok: true, ins: '240122B03300744' });
  });

  it.each([
    [`${INS}@cabinet.mssante.fr`, 550, '5.1.1', /relay not permitted/],
    [`${INS}@patient.mssante.fr.evil.fr`, 550, '5.1.1', /unknown domain/],
    [`${INS.slice(0, 13)}00@${D}`, 550, '5.1.1', /invalid INS key/],
    [`1.68.04.75.056.112.43@${D}`, 550, '5.1.1', /not an INS/],
    [`jean.dupont@${D}`, 550, '5.1.1', /not an INS/],
    [`${INS}0@${D}`, 550, '5.1.1', /not an INS/],
    [`568047505611243@${D}`, 550, '5.1.1', /not an INS/],
    ['no-at-sign', 553, '5.1.3', /invalid address/],
    [`@${D}`, 553, '5.1.3', /invalid address/],
  ])('refuses %s with %i %s', (address, code, enhanced, message) => {
    const result = parseRecipient(address, D);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal).toMatchObject({ accept: false, smtpCode: code, enhanced });
    expect(result.refusal.message).toMatch(message);
  });

  it('gives a French and an English text for every refusal', () => {
    for (const address of [`${INS}@x.fr`, `${INS.slice(0, 13)}99@${D}`, 'x']) {
      const result = parseRecipient(address, D);
      if (!result.ok) expect(result.refusal.message).toMatch(/ \/ [a-z]/);
    }
  });
});

describe('profile decision', () => {
  const id = 'p-1' as PatientId;
  it('delivers to created and activated profiles, with their state', () => {
    expect(decideForProfile({ id, state: 'created' })).toEqual({
      accept: true,
      patientId: id,
      state: 'created',
    });
    expect(decideForProfile({ id, state: 'activated' })).toEqual({
      accept: true,
      patientId: id,
      state: 'activated',
    });
  });

  it('refuses an unknown patient at RCPT, and answers opposed and closed profiles with a DSN', () => {
    expect(decideForProfile(undefined)).toMatchObject({ accept: false, smtpCode: 550, enhanced: '5.1.1' });
    expect(decideForProfile({ id, state: 'opposed' })).toEqual({ accept: 'defer-dsn', reason: 'opposed' });
    expect(decideForProfile({ id, state: 'closed' })).toEqual({ accept: 'defer-dsn', reason: 'closed' });
  });

  it('names why a recipient accepted at RCPT fails at DATA', () => {
    expect(deferredReason(undefined)).toBe('unknown');
    expect(deferredReason('opposed')).toBe('opposed');
    expect(deferredReason('closed')).toBe('closed');
    expect(deferredReason('created')).toBeUndefined();
    expect(deferredReason('activated')).toBeUndefined();
  });
});

describe('sender and addresses', () => {
  it('refuses a patient-domain envelope sender with 5.7.1, lets others through', () => {
    expect(checkEnvelopeSender(`${INS}@${D}`, D)).toMatchObject({
      accept: false,
      smtpCode: 550,
      enhanced: '5.7.1',
    });
    expect(checkEnvelopeSender(`x@PATIENT.mssante.fr`, D)).toMatchObject({ enhanced: '5.7.1' });
    expect(checkEnvelopeSender('dr.martin@cabinet.mssante.fr', D)).toBeUndefined();
    expect(checkEnvelopeSender('', D)).toBeUndefined();
  });

  it('splits and normalises addresses', () => {
    expect(splitAddress('Dr Martin <Dr.Martin@Cabinet.MSSante.fr>')).toEqual({
      local: 'Dr.Martin',
      domain: 'cabinet.mssante.fr',
    });
    expect(normalizeAddress(' <a@B.fr> ')).toBe('a@b.fr');
    expect(splitAddress('a@')).toBeUndefined();
    expect(isPatientDomainAddress(`${INS}@${D}`, 'Patient.MSSante.fr')).toBe(true);
    expect(patientAddress(INS as never, 'Patient.MSSante.fr')).toBe(`${INS}@patient.mssante.fr`);
  });
});

describe('addresses from any sender', () => {
  // Security review regression: fails on 027241f, before the fix.
  it('are split in linear time, whatever brackets they are made of', () => {
    const started = performance.now();
    expect(splitAddress(`${'<'.repeat(40_000)}a@b.fr`)).toMatchObject({ domain: 'b.fr' });
    expect(splitAddress(`Dr <x> ${'<'.repeat(40_000)}`)).toBeUndefined();
    expect(splitAddress('Dr Martin <dr.martin@cabinet.mssante.fr>')).toEqual({
      local: 'dr.martin',
      domain: 'cabinet.mssante.fr',
    });
    expect(performance.now() - started).toBeLessThan(100);
  });
});
