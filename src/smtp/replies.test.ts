import { describe, expect, it } from 'vitest';
import { CarnetError, invalid } from '../shared/index.ts';
import { failureCode, replyForStoreFailure, smtpReply, smtpText } from './replies.ts';

describe('SMTP replies', () => {
  it('are one line of ASCII: accents folded, controls and line breaks removed', () => {
    expect(smtpText('Ce patient s’est opposé à la création\r\nde Mon espace santé')).toBe(
      "Ce patient s'est oppose a la creation de Mon espace sante",
    );
    expect(smtpText('x\u0000y\u2603z')).toBe('x y z');
  });

  it('carry the enhanced status code before the text', () => {
    const reply = smtpReply(550, '5.1.1', 'Patient inconnu');
    expect(reply.responseCode).toBe(550);
    expect(reply.message).toBe('5.1.1 Patient inconnu');
  });

  it('make bad MIME and refusals by the rules final, every other store failure temporary', () => {
    const malformed = replyForStoreFailure(
      new CarnetError('invalid', 'mime-malformed', 'MIME illisible'),
      10,
    );
    expect([malformed.responseCode, malformed.message.slice(0, 5)]).toEqual([550, '5.6.0']);
    for (const error of [new Error('connection lost'), invalid('autre', 'Autre'), 'a string']) {
      const reply = replyForStoreFailure(error, 10);
      expect([reply.responseCode, reply.message.slice(0, 5)]).toEqual([451, '4.3.0']);
    }
    expect(replyForStoreFailure(new CarnetError('too-large', 'x', 'x'), 10).responseCode).toBe(552);
    const forbidden = replyForStoreFailure(
      new CarnetError('forbidden', 'patient-cannot-open', 'Un patient…'),
      10,
    );
    expect([forbidden.responseCode, forbidden.message.slice(0, 5)]).toEqual([550, '5.7.1']);
  });

  it('log a failure by its code only, never by its message', () => {
    expect(failureCode(new CarnetError('invalid', 'mime-malformed', 'détails'))).toBe('mime-malformed');
    expect(
      failureCode(Object.assign(new Error('duplicate key value (jean.dupont@…)'), { code: '23505' })),
    ).toBe('23505');
    expect(failureCode(new TypeError('secret'))).toBe('TypeError');
  });
});
