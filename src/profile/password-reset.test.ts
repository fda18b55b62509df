import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createPatientSession, patientPrincipalFromToken, startSignIn } from '../auth/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { adult, withKey } from './import/test-people.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';
import { fixedClock } from '../shared/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import {
  PASSWORD_RESET_ANSWER_MS,
  PASSWORD_RESET_MESSAGE,
  confirmPasswordReset,
  requestPasswordReset,
} from './password-reset.ts';
import { loadPeople } from './test-accounts.ts';

const PASSWORD = 'correct-horse-42';
const NEW_PASSWORD = 'nouveau-cheval-77';
const CODE_SUBJECT = 'Votre code pour choisir un nouveau mot de passe Mon espace santé';
const MINUTE = 60_000;

describe.each(testDialects)('« mot de passe oublié » on %s', (dialect) => {
  const clock = fixedClock('2026-03-02T09:00:00Z');
  let ctx: AppContext;
  let database: TestDatabase;
  let ipCounter = 0;
  let order = 0;
  const newIp = () => `10.1.0.${++ipCounter}`;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock }));
  });
  afterAll(() => database?.destroy());

  /** A new activated adult with its own login, NIR and address, so that the tests' limits never meet. */
  const registered = async () => {
    tick();
    const person = adult(++order, { email: `reset${order}@exemple.fr` });
    const [patientId] = await loadPeople(ctx, [{ ...person, login: `reset.${order}` }], PASSWORD);
    return { ...person, patientId: patientId!, login: `reset.${order}` };
  };
  // Ids are time-ordered: the clock moves a second at each step, so that the latest e-mail is well defined.
  const tick = () => clock.advance(1000);
  const mailsTo = async (to: string) =>
    (await outgoingEmails(ctx)).filter((m) => m.recipient === to).sort((a, b) => (a.id < b.id ? -1 : 1));
  const codeSentTo = async (to: string) => {
    const mail = (await mailsTo(to)).filter((m) => m.subject === CODE_SUBJECT).at(-1);
    return /la page ouverte pour votre demande : (\d{6})/.exec(mail?.body_text ?? '')?.[1];
  };
  const outcome = (p: Promise<unknown>) =>
    p.then(
      (value) => ({ ok: value }),
      (e: { code?: string; message?: string; status?: number }) => ({
        status: e.status,
        code: e.code,
        message: e.message,
      }),
    );
  const request = (person: { ins: string; vitale_serial: string }, ip = newIp()) => {
    tick();
    // No floor on the answer's time here: the test below has it.
    return requestPasswordReset(ctx, { nir: person.ins, vitaleSerial: person.vitale_serial, ip }, 0);
  };
  const confirm = (requestId: string, code: string, password = NEW_PASSWORD, ip = newIp()) => {
    tick();
    return confirmPasswordReset(ctx, { requestId, code, password, ip });
  };

  it('answers the same for a registered person, a wrong card, an unknown NIR and a profile not activated', async () => {
    const marie = await registered();
    const pending = adult(++order, { email: `pending${order}@exemple.fr` });
    await loadPeople(ctx, [pending], PASSWORD);
    const unknown = adult(++order);
    const outboxBefore = (await outgoingEmails(ctx)).length;

    const answers = [
      await request(marie),
      await request({ ...marie, vitale_serial: '99999999' }),
      await request(unknown),
      await request(pending),
    ];
    for (const answer of answers) {
      expect(Object.keys(answer).sort()).toEqual(['message', 'requestId']);
      expect(answer.message).toBe(PASSWORD_RESET_MESSAGE);
      expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Only the registered person is written to, and only one row is kept.
    expect((await outgoingEmails(ctx)).length).toBe(outboxBefore + 1);
    expect((await mailsTo(marie.email!)).at(-1)?.subject).toBe(CODE_SUBJECT);
    expect(await mailsTo(pending.email!)).toHaveLength(1); // its activation letter, nothing more
    const rows = await ctx.db.selectFrom('password_resets').select('id').execute();
    expect(rows.map((r) => r.id)).toEqual([answers[0]!.requestId]);

    // The code step refuses a wrong code of a real request exactly as any code of a request that matched nobody.
    const refusals = [
      await outcome(confirm(answers[0]!.requestId, '000000')),
      await outcome(confirm(answers[1]!.requestId, '000000')),
      await outcome(confirm(answers[2]!.requestId, (await codeSentTo(marie.email!))!)),
    ];
    expect(refusals[0]).toEqual({
      status: 400,
      code: 'password-reset-code-invalid',
      message: expect.stringContaining('Ce code est incorrect ou n’est plus valable'),
    });
    expect(refusals[1]).toEqual(refusals[0]);
    expect(refusals[2]).toEqual(refusals[0]);
  });

  it('replaces the password, ends every session, sign-in and app token, traces it and tells the person', async () => {
    const paul = await registered();
    const sessions = [
      await createPatientSession(ctx.db, paul.patientId, clock.now()),
      await createPatientSession(ctx.db, paul.patientId, clock.now()),
    ];
    const signIn = await startSignIn(ctx, { login: paul.login, password: PASSWORD, ip: newIp() });
    const grant = { patient_id: paul.patientId, id: `grant-${paul.login}` };
    await ctx.db
      .insertInto('app_grants')
      .values({
        ...grant,
        service_id: 'glucosuivi',
        client_id: 'glucosuivi',
        purposes: '[]',
        data_scopes: '',
        context_scopes: 'offline_access',
        granted_by: paul.patientId,
        created_at: clock.now().toISOString(),
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    for (const kind of ['access', 'refresh'] as const)
      await ctx.db
        .insertInto('app_tokens')
        .values({
          token_hash: `${kind}-${paul.login}`,
          patient_id: paul.patientId,
          grant_id: grant.id,
          kind,
          created_at: clock.now().toISOString(),
          expires_at: new Date(clock.now().getTime() + 30 * 24 * 60 * MINUTE).toISOString(),
          revoked_at: null,
        })
        .execute();

    clock.advance(MINUTE);
    const { requestId } = await request(paul);
    const code = (await codeSentTo(paul.email!))!;
    expect(await confirm(requestId, ` ${code.slice(0, 3)} ${code.slice(3)} `)).toEqual({ login: paul.login });

    // The old password no longer signs in; the new one does.
    expect(
      await outcome(startSignIn(ctx, { login: paul.login, password: PASSWORD, ip: newIp() })),
    ).toMatchObject({ code: 'credentials-invalid' });
    expect(await startSignIn(ctx, { login: paul.login, password: NEW_PASSWORD, ip: newIp() })).toMatchObject({
      sentTo: expect.stringContaining('@exemple.fr'),
    });
    for (const session of sessions)
      expect(await outcome(patientPrincipalFromToken(ctx, session.token))).toMatchObject({
        code: 'unauthenticated',
      });
    const challenge = await ctx.db
      .selectFrom('login_challenges')
      .select('consumed_at')
      .where('id', '=', signIn.challengeId)
      .executeTakeFirstOrThrow();
    expect(challenge.consumed_at).not.toBeNull();
    const tokens = await ctx.db
      .selectFrom('app_tokens')
      .select(['kind', 'revoked_at'])
      .where('grant_id', '=', grant.id)
      .execute();
    expect(tokens.map((t) => [t.kind, t.revoked_at !== null]).sort()).toEqual([
      ['access', true],
      ['refresh', true],
    ]);

    const traces = await ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', paul.patientId)
      .where('action', '=', 'password-reset')
      .execute();
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ actor_kind: 'patient', actor_id: paul.patientId, outcome: 'success' });
    expect(JSON.parse(traces[0]!.detail ?? '{}')).toMatchObject({ appTokensRevoked: 2 });

    const notices = (await mailsTo(paul.email!)).filter(
      (m) => m.subject === 'Le mot de passe de votre compte Mon espace santé a été modifié',
    );
    expect(notices).toHaveLength(1);
    const notice = notices[0]!;
    expect(notice.body_text).toContain('Votre mot de passe a été modifié le 2 mars 2026 à 10:');
    expect(notice.body_text).toContain('http://carnet.test/mot-de-passe-oublie');
    expect(notice.body_text).toContain('contactez le service d’assistance');
    expect(notice.body_text).not.toContain(code);
  });

  it('takes a code once, for 15 minutes, 5 tries, and only the latest request’s', async () => {
    const lea = await registered();

    // Single use.
    const first = await request(lea);
    const firstCode = (await codeSentTo(lea.email!))!;
    await confirm(first.requestId, firstCode);
    expect(await outcome(confirm(first.requestId, firstCode, 'encore-un-autre-9'))).toMatchObject({
      code: 'password-reset-code-invalid',
    });

    // Expiry.
    const second = await request(lea);
    const secondCode = (await codeSentTo(lea.email!))!;
    clock.advance(15 * MINUTE);
    expect(await outcome(confirm(second.requestId, secondCode))).toMatchObject({
      code: 'password-reset-code-invalid',
    });

    // Five wrong tries wear a code out, the right one included after them.
    clock.advance(60 * MINUTE); // a new window of the per-NIR limit
    const third = await request(lea);
    const thirdCode = (await codeSentTo(lea.email!))!;
    const wrong = thirdCode === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++)
      expect(await outcome(confirm(third.requestId, wrong))).toMatchObject({
        code: 'password-reset-code-invalid',
      });
    expect(await outcome(confirm(third.requestId, thirdCode))).toMatchObject({
      code: 'password-reset-code-invalid',
    });

    // A newer request makes the older code useless.
    clock.advance(60 * MINUTE);
    const older = await request(lea);
    const olderCode = (await codeSentTo(lea.email!))!;
    const newer = await request(lea);
    const newerCode = (await codeSentTo(lea.email!))!;
    expect(await outcome(confirm(older.requestId, olderCode))).toMatchObject({
      code: 'password-reset-code-invalid',
    });
    expect(await confirm(newer.requestId, newerCode)).toEqual({ login: lea.login });
  });

  it('refuses a weak password before it looks at the code, and leaves the code usable', async () => {
    const jean = await registered();
    const { requestId } = await request(jean);
    const code = (await codeSentTo(jean.email!))!;
    expect(await outcome(confirm(requestId, code, 'court1'))).toMatchObject({
      status: 400,
      code: 'password-weak',
    });
    const row = await ctx.db
      .selectFrom('password_resets')
      .select(['attempts', 'used_at'])
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: 0, used_at: null });
    expect(await confirm(requestId, code)).toEqual({ login: jean.login });
  });

  it('limits requests per NIR (3 an hour) and per address (30 per 15 minutes), known or not', async () => {
    clock.advance(2 * 60 * MINUTE);
    const anne = await registered();
    const stranger = { ins: withKey('1800575056990'), vitale_serial: '12345678' };
    for (const person of [anne, stranger]) {
      for (let i = 0; i < 3; i++) expect(await outcome(request(person))).toHaveProperty('ok');
      expect(await outcome(request(person))).toMatchObject({ status: 429, code: 'rate-limited' });
    }
    const ip = '10.2.0.1';
    for (let i = 0; i < 30; i++)
      await requestPasswordReset(
        ctx,
        { nir: withKey(`180057505${String(600 + i).padStart(4, '0')}`), vitaleSerial: '1', ip },
        0,
      );
    expect(
      await outcome(requestPasswordReset(ctx, { nir: withKey('1800575056700'), vitaleSerial: '1', ip })),
    ).toMatchObject({ status: 429 });
    // The code step counts against the same address.
    expect(await outcome(confirm('nothing', '123456', NEW_PASSWORD, ip))).toMatchObject({ status: 429 });
  });

  it('takes at least the same time to answer, whether a code is sent or not', async () => {
    const sophie = await registered();
    const stranger = adult(++order);
    for (const person of [sophie, stranger, sophie, stranger]) {
      const started = performance.now();
      tick();
      await requestPasswordReset(ctx, { nir: person.ins, vitaleSerial: person.vitale_serial, ip: newIp() });
      expect(performance.now() - started).toBeGreaterThanOrEqual(PASSWORD_RESET_ANSWER_MS - 1);
    }
    expect(await codeSentTo(sophie.email!)).toMatch(/^\d{6}$/);
  });

  it('refuses a malformed NIR with the identity check’s message', async () => {
    expect(await outcome(request({ ins: '1800575056001', vitale_serial: '1' }))).toMatchObject({
      status: 400,
      code: 'ins-invalid',
    });
  });
});
