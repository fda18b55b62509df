import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import { adult } from '../../profile/import/test-people.ts';
import { outgoingEmails } from '../../mail/test-outbox.ts';
import { loadPeople } from '../../profile/test-accounts.ts';
import { fixedClock } from '../../shared/index.ts';
import { testDialects, type TestDatabase } from '../../storage/test-databases.ts';
import { createTestContext } from '../test-context.ts';
import { OTP_MAX_RESENDS, OTP_RESEND_COOLDOWN_SECONDS, resendWait } from './one-time-code.ts';
import { confirmSignIn, resendSignInCode, startSignIn } from './sign-in.ts';

const PASSWORD = 'correct-horse-42';
const SECOND = 1000;

describe('the cool-down of « Renvoyer le code »', () => {
  const sentAt = '2026-03-02T09:00:00.000Z';
  const at = (seconds: number) => new Date(new Date(sentAt).getTime() + seconds * SECOND);

  it('waits a minute after the code in force was sent, counting whole seconds up', () => {
    expect(OTP_RESEND_COOLDOWN_SECONDS).toBe(60);
    expect(resendWait({ sentAt, resends: 0 }, at(0))).toBe(60);
    expect(resendWait({ sentAt, resends: 0 }, at(0.2))).toBe(60);
    expect(resendWait({ sentAt, resends: 1 }, at(59.5))).toBe(1);
    expect(resendWait({ sentAt, resends: 2 }, at(60))).toBe(0);
    expect(resendWait({ sentAt, resends: 0 }, at(3600))).toBe(0);
  });

  it('gives no more than three new codes', () => {
    expect(OTP_MAX_RESENDS).toBe(3);
    expect(resendWait({ sentAt, resends: 3 }, at(3600))).toBe('exhausted');
  });
});

describe.each(testDialects)('« Renvoyer le code » on %s', (dialect) => {
  const clock = fixedClock('2026-03-02T09:00:00Z');
  let ctx: AppContext;
  let database: TestDatabase;
  let order = 0;
  let ipCounter = 0;
  const newIp = () => `10.3.0.${++ipCounter}`;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock }));
  });
  afterAll(() => database?.destroy());

  const signInCodes = async (to: string) =>
    (await outgoingEmails(ctx))
      .filter((m) => m.recipient === to && m.subject === 'Votre code de connexion Mon espace santé')
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((m) => /est : (\d{6})/.exec(m.body_text)![1]!);
  const outcome = (p: Promise<unknown>) =>
    p.then(
      (value) => ({ ok: value }),
      (e: { code?: string; message?: string; status?: number }) => ({
        status: e.status,
        code: e.code,
        message: e.message,
      }),
    );
  /** A new activated adult who has typed their password: the code step is open. */
  const atCodeStep = async () => {
    const person = adult(++order, { email: `resend${order}@exemple.fr` });
    await loadPeople(ctx, [{ ...person, login: `resend.${order}` }], PASSWORD);
    clock.advance(SECOND);
    const challenge = await startSignIn(ctx, { login: `resend.${order}`, password: PASSWORD, ip: newIp() });
    return { email: person.email!, challenge };
  };
  const resend = (challengeId: string) => {
    clock.advance(SECOND);
    return resendSignInCode(ctx, { challengeId, ip: newIp() });
  };

  it('tells the code step when it may ask again', async () => {
    const { challenge } = await atCodeStep();
    expect(challenge).toEqual({
      challengeId: expect.any(String),
      sentTo: expect.stringMatching(/•••@exemple\.fr$/),
      resendInSeconds: 60,
      resendsLeft: 3,
    });
  });

  it('refuses a new code within the minute, with the seconds left, then sends one that replaces the first', async () => {
    const { email, challenge } = await atCodeStep();
    clock.advance(20 * SECOND);
    expect(await outcome(resend(challenge.challengeId))).toEqual({
      status: 429,
      code: 'otp-resend-too-soon',
      message: 'Un nouveau code pourra être demandé dans 39 secondes.',
    });
    expect(await signInCodes(email)).toHaveLength(1);

    clock.advance(40 * SECOND);
    expect(await resend(challenge.challengeId)).toEqual({
      ...challenge,
      resendInSeconds: 60,
      resendsLeft: 2,
    });
    const [first, second] = await signInCodes(email);
    expect(second).toMatch(/^\d{6}$/);
    if (first !== second) {
      expect(
        await outcome(confirmSignIn(ctx, { challengeId: challenge.challengeId, code: first! })),
      ).toMatchObject({ status: 401, code: 'otp-invalid' });
    }
    // The fresh code works, once.
    const session = await confirmSignIn(ctx, { challengeId: challenge.challengeId, code: second! });
    expect(session.token).toEqual(expect.any(String));
    expect(await outcome(resend(challenge.challengeId))).toMatchObject({ status: 401, code: 'otp-restart' });
  });

  it('gives three new codes per sign-in at most', async () => {
    const { email, challenge } = await atCodeStep();
    for (let left = 2; left >= 0; left--) {
      clock.advance(60 * SECOND);
      expect(await resend(challenge.challengeId)).toMatchObject({ resendsLeft: left });
    }
    clock.advance(60 * SECOND);
    expect(await outcome(resend(challenge.challengeId))).toEqual({
      status: 429,
      code: 'otp-resend-limit',
      message: 'Vous avez demandé trop de nouveaux codes : recommencez la connexion.',
    });
    expect(await signInCodes(email)).toHaveLength(4);
    // The last code sent still signs in.
    const last = (await signInCodes(email)).at(-1)!;
    expect(await confirmSignIn(ctx, { challengeId: challenge.challengeId, code: last })).toHaveProperty(
      'token',
    );
  });

  it('gives a fresh code after the first one expired, until the sign-in is 30 minutes old', async () => {
    const { email, challenge } = await atCodeStep();
    clock.advance(11 * 60 * SECOND);
    const expired = (await signInCodes(email))[0]!;
    expect(
      await outcome(confirmSignIn(ctx, { challengeId: challenge.challengeId, code: expired })),
    ).toMatchObject({ status: 410, code: 'otp-expired' });
    await resend(challenge.challengeId);
    clock.advance(20 * 60 * SECOND);
    expect(await outcome(resend(challenge.challengeId))).toMatchObject({ status: 401, code: 'otp-restart' });
  });

  it('refuses an unknown sign-in like a finished one', async () => {
    expect(await outcome(resend('00000000-0000-7000-8000-000000000000'))).toMatchObject({
      status: 401,
      code: 'otp-restart',
      message: 'Cette connexion n’est plus en cours : recommencez la connexion.',
    });
  });
});
