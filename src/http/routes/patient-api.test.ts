import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInsured } from '../../profile/index.ts';
import { adult, child, jsonLines, withKey, type TestPerson } from '../../profile/import/test-people.ts';
import { fixedClock } from '../../shared/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { outgoingEmails } from '../../mail/test-outbox.ts';
import { PASSWORD_HASH_COST, setPasswordHashCostForTests } from '../../auth/index.ts';

// The suite's setup makes hashes cheap; this file checks the cost production stores.
setPasswordHashCostForTests(PASSWORD_HASH_COST);

const PASSWORD = 'correct-horse-42';
const DAY = 24 * 3_600_000;

describe.each(testDialects)('patient API on %s', (dialect) => {
  const clock = fixedClock('2026-03-02T09:00:00Z');
  let carnet: TestCarnet;
  let ipCounter = 0;
  beforeAll(async () => {
    carnet = await startTestCarnet(dialect, { clock });
  });
  afterAll(() => carnet?.stop());

  // Each test speaks from its own address, so per-IP limits of one test do not leak into another.
  const newIp = () => `10.0.0.${++ipCounter}`;
  type Inject = { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; cookie?: string; ip?: string };
  const call = (url: string, payload?: object, options: Inject = {}) => {
    clock.advance(1000); // ids are time-ordered: keep "latest e-mail" well defined
    return carnet.app.inject({
      method: options.method ?? (payload ? 'POST' : 'GET'),
      url,
      ...(payload ? { payload } : {}),
      remoteAddress: options.ip ?? '10.9.9.9',
      headers: options.cookie ? { cookie: options.cookie } : {},
    });
  };
  const errorCode = (response: { json(): unknown }) =>
    (response.json() as { error: { code: string } }).error.code;

  const load = async (...people: TestPerson[]) => {
    const report = await importInsured(carnet.ctx, jsonLines(people), 'test.jsonl');
    expect(report.rejected).toEqual([]);
  };
  // A parent also receives their child's code (at the same instant): "own" mail excludes those.
  const latestMail = async (to: string) =>
    (await outgoingEmails(carnet.ctx))
      .filter((m) => m.recipient === to && !m.body_text.includes('représentant légal'))
      .at(-1)!;
  const codeSentTo = async (to: string) =>
    /code provisoire suivant : ([A-Z0-9]{8})/.exec((await latestMail(to)).body_text)![1]!;
  const otpSentTo = async (to: string) => /est : (\d{6})/.exec((await latestMail(to)).body_text)![1]!;
  /** A profile's traces of one account action, oldest first. */
  const accountTraces = (action: string, patientId: string) =>
    carnet.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('action', '=', action)
      .orderBy('seq')
      .execute();
  const patientIdOf = async (ins: string) =>
    (await carnet.ctx.db.selectFrom('patients').select('id').where('ins', '=', ins).executeTakeFirstOrThrow())
      .id;

  /** Everything a refusal must leave as it was (attempt counters and the mail worker's bookkeeping aside). */
  const snapshot = async () => {
    const db = carnet.ctx.db;
    return {
      patients: await db.selectFrom('patients').selectAll().orderBy('id').execute(),
      accounts: await db.selectFrom('accounts').selectAll().orderBy('id').execute(),
      codes: await db
        .selectFrom('activation_codes')
        .select(['id', 'patient_id', 'code_hash', 'expires_at', 'used_at', 'revoked_at'])
        .orderBy('id')
        .execute(),
      sessions: await db.selectFrom('sessions').selectAll().orderBy('id').execute(),
      oppositions: await db.selectFrom('oppositions').selectAll().orderBy('patient_id').execute(),
      challenges: await db
        .selectFrom('login_challenges')
        .select(['id', 'consumed_at'])
        .orderBy('id')
        .execute(),
      outbox: await db
        .selectFrom('outbox')
        .select(['id', 'kind', 'recipient_domain'])
        .orderBy('id')
        .execute(),
    };
  };
  const expectRefusal = async (request: () => ReturnType<typeof call>, status: number, code: string) => {
    const before = await snapshot();
    const response = await request();
    expect([response.statusCode, errorCode(response)]).toEqual([status, code]);
    expect((response.json() as { error: { message: string } }).error.message).toMatch(/[a-zé]/);
    expect(await snapshot()).toEqual(before);
  };

  const activate = async (person: TestPerson, login: string, ip = newIp()) => {
    const code = await codeSentTo(person.email!);
    const verify = await call(
      '/api/patient/activation/verify',
      { nir: person.ins, vitaleSerial: person.vitale_serial, code },
      { ip },
    );
    expect(verify.statusCode).toBe(200);
    const complete = await call('/api/patient/activation/complete', {
      ticket: verify.json().ticket,
      login,
      password: PASSWORD,
    });
    expect([complete.statusCode, complete.json()]).toEqual([201, { login: login.toLowerCase() }]);
    return verify.json().ticket as string;
  };
  const signIn = async (login: string, email: string, ip = newIp()) => {
    const started = await call('/api/patient/session', { login, password: PASSWORD }, { ip });
    expect(started.statusCode).toBe(200);
    const otp = await call('/api/patient/session/otp', {
      challengeId: started.json().challengeId,
      code: await otpSentTo(email),
    });
    expect([otp.statusCode, otp.json()]).toEqual([200, { ok: true }]);
    const cookie = otp.cookies.find((c) => c.name === 'carnet_patient')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    return `carnet_patient=${cookie.value}`;
  };

  it('activates, signs in with a one-time code, shows /me and signs out', async () => {
    const person = adult(1, { email: 'claire@exemple.fr', used_name: 'DURAND' });
    await load(person);
    const code = await codeSentTo('claire@exemple.fr');
    const verify = await call('/api/patient/activation/verify', {
      nir: person.ins,
      vitaleSerial: person.vitale_serial,
      code: code.toLowerCase(),
    });
    expect(verify.json().person).toEqual({ firstName: 'Paul', lastName: 'DURAND' });
    const complete = await call('/api/patient/activation/complete', {
      ticket: verify.json().ticket,
      login: 'Claire.D',
      password: PASSWORD,
    });
    expect([complete.statusCode, complete.json()]).toEqual([201, { login: 'claire.d' }]);
    const activatedBy = await accountTraces('activation', await patientIdOf(person.ins));
    expect(activatedBy.map((t) => [t.actor_kind, t.outcome])).toEqual([['patient', 'success']]);
    const stored = await carnet.ctx.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);

    const started = await call('/api/patient/session', { login: 'CLAIRE.D', password: PASSWORD });
    expect(started.json()).toEqual({
      challengeId: expect.any(String),
      sentTo: 'c•••@exemple.fr',
      resendInSeconds: 60,
      resendsLeft: 3,
    });
    const otp = await call('/api/patient/session/otp', {
      challengeId: started.json().challengeId,
      code: await otpSentTo('claire@exemple.fr'),
    });
    const token = otp.cookies.find((c) => c.name === 'carnet_patient')!.value;
    const session = await carnet.ctx.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
    expect(session.id).not.toContain(token);
    expect(new Date(session.expires_at).getTime() - new Date(session.created_at).getTime()).toBe(
      12 * 3_600_000,
    );

    const cookie = `carnet_patient=${token}`;
    const me = await call('/api/patient/me', undefined, { cookie });
    expect(me.json()).toMatchObject({
      account: { login: 'claire.d' },
      self: {
        ins: person.ins,
        state: 'activated',
        usedName: 'DURAND',
        minor: false,
        mssanteAddress: `${person.ins}@patient.mssante.fr`,
      },
      managed: [],
    });
    const out = await call('/api/patient/session', undefined, { method: 'DELETE', cookie });
    expect(out.statusCode).toBe(204);
    expect(errorCode(await call('/api/patient/me', undefined, { cookie }))).toBe('unauthenticated');
  });

  it('refuses a malformed NIR precisely, and a ticket that is not one', async () => {
    const person = adult(2);
    await load(person);
    const code = await codeSentTo(person.email!);
    const badKey = person.ins.slice(0, 13) + (person.ins.endsWith('01') ? '02' : '01');
    await expectRefusal(
      () =>
        call(
          '/api/patient/activation/verify',
          { nir: badKey, vitaleSerial: person.vitale_serial, code },
          { ip: newIp() },
        ),
      400,
      'ins-invalid',
    );
    const weak = await call('/api/patient/activation/complete', {
      ticket: 'x',
      login: 'abc',
      password: PASSWORD,
    });
    expect(errorCode(weak)).toBe('ticket-invalid');
  });

  // Security review regression: fails on 027241f, before the fix.
  it('gives one identical answer to every failed identification until NIR, card and code all match', async () => {
    const pending = adult(20);
    const opposed = adult(21, { opposed: true });
    const active = adult(22);
    const unknownNir = withKey('1800575056999');
    await load(pending, opposed, active);
    const code = await codeSentTo(pending.email!);
    await activate(active, 'already.active');
    const activeCode = await codeSentTo(active.email!);
    const wrongCode = code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA';
    const attempts: Record<string, { nir: string; vitaleSerial: string; code: string }> = {
      'unknown NIR': { nir: unknownNir, vitaleSerial: pending.vitale_serial, code },
      'wrong card': { nir: pending.ins, vitaleSerial: '00000000', code },
      'wrong code': { nir: pending.ins, vitaleSerial: pending.vitale_serial, code: wrongCode },
      'malformed code': { nir: pending.ins, vitaleSerial: pending.vitale_serial, code: '?' },
      'opposed, card but no code': { nir: opposed.ins, vitaleSerial: opposed.vitale_serial, code: wrongCode },
      'activated, card but no code': { nir: active.ins, vitaleSerial: active.vitale_serial, code: wrongCode },
      'activated, code but no card': { nir: active.ins, vitaleSerial: '00000000', code: activeCode },
    };
    const answers = new Map<string, unknown>();
    for (const [what, body] of Object.entries(attempts)) {
      clock.advance(16 * 60_000); // a fresh rate-limit window: the per-NIR limit is not what is compared
      for (const url of ['/api/patient/activation/verify', '/api/patient/opposition']) {
        const before = await snapshot();
        const response = await call(url, body, { ip: newIp() });
        answers.set(`${url} ${what}`, [response.statusCode, response.json()]);
        expect(await snapshot(), what).toEqual(before);
      }
    }
    const distinct = new Set([...answers.values()].map((a) => JSON.stringify(a)));
    expect([...distinct].map((a) => JSON.parse(a) as unknown)).toEqual([
      [
        400,
        {
          error: expect.objectContaining({
            code: 'identification-failed',
            message: expect.stringMatching(/^Ces informations ne permettent pas de vous identifier/),
          }),
        },
      ],
    ]);
    // The answer names no field: it does not say which of the three was wrong.
    expect(JSON.stringify([...answers.values()][0])).not.toContain('vitaleSerial');
    // With all three, the person is told the truth about their own profile.
    const told = await call(
      '/api/patient/activation/verify',
      { nir: active.ins, vitaleSerial: active.vitale_serial, code: activeCode },
      { ip: newIp() },
    );
    expect(errorCode(told)).toBe('profile-already-activated');
    expect((await call('/api/patient/activation/verify', attempts['wrong code']!)).statusCode).toBe(400);
    const right = { nir: pending.ins, vitaleSerial: pending.vitale_serial, code };
    expect((await call('/api/patient/activation/verify', right, { ip: newIp() })).statusCode).toBe(200);
  });

  it('wears a code out only with guesses made with the card, never with a NIR alone', async () => {
    const person = adult(23);
    await load(person);
    const code = await codeSentTo(person.email!);
    const attemptsOnCode = async () =>
      (
        await carnet.ctx.db
          .selectFrom('activation_codes')
          .innerJoin('patients', 'patients.id', 'activation_codes.patient_id')
          .select('activation_codes.attempts')
          .where('patients.ins', '=', person.ins)
          .executeTakeFirstOrThrow()
      ).attempts;
    const wrongCode = code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA';
    const verify = (vitaleSerial: string) =>
      call(
        '/api/patient/activation/verify',
        { nir: person.ins, vitaleSerial, code: wrongCode },
        { ip: newIp() },
      );
    await verify('00000000');
    expect(await attemptsOnCode()).toBe(0);
    await verify(person.vitale_serial);
    expect(await attemptsOnCode()).toBe(1);
  });

  it('refuses a reused code and a taken login, consuming nothing', async () => {
    const first = adult(4);
    const second = adult(5);
    await load(first, second);
    const ticket = await activate(first, 'reused.login');
    await expectRefusal(
      () => call('/api/patient/activation/complete', { ticket, login: 'other.login', password: PASSWORD }),
      409,
      'activation-code-used',
    );
    const code = await codeSentTo(first.email!);
    await expectRefusal(
      () =>
        call('/api/patient/activation/verify', { nir: first.ins, vitaleSerial: first.vitale_serial, code }),
      409,
      'profile-already-activated',
    );
    const verify = await call('/api/patient/activation/verify', {
      nir: second.ins,
      vitaleSerial: second.vitale_serial,
      code: await codeSentTo(second.email!),
    });
    const complete =
      (login: string, password = PASSWORD) =>
      () =>
        call('/api/patient/activation/complete', { ticket: verify.json().ticket, login, password });
    await expectRefusal(complete('REUSED.login'), 409, 'login-taken');
    await expectRefusal(complete('fresh.login', 'short1'), 400, 'password-weak');
    await expectRefusal(complete('no spaces'), 400, 'login-invalid');
    expect((await complete('fresh.login')()).statusCode).toBe(201);
  });

  it('refuses an expired code, and a re-issued code replaces the old one', async () => {
    const person = adult(6);
    await load(person);
    const oldCode = await codeSentTo(person.email!);
    const ip = newIp();
    const verify = (code: string) => () =>
      call(
        '/api/patient/activation/verify',
        { nir: person.ins, vitaleSerial: person.vitale_serial, code },
        { ip },
      );
    clock.advance(91 * DAY);
    await expectRefusal(verify(oldCode), 410, 'activation-code-expired');

    const reissued = await call(
      '/api/patient/activation/reissue',
      { nir: person.ins, vitaleSerial: person.vitale_serial },
      { ip },
    );
    const unknown = await call(
      '/api/patient/activation/reissue',
      { nir: withKey('1800575056998'), vitaleSerial: '12345678' },
      { ip },
    );
    expect([reissued.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(unknown.json()).toEqual(reissued.json());
    const newCode = await codeSentTo(person.email!);
    expect(newCode).not.toBe(oldCode);
    await expectRefusal(verify(oldCode), 400, 'identification-failed');
    expect((await verify(newCode)()).statusCode).toBe(200);
  });

  it('rate-limits activation attempts per NIR', async () => {
    const person = adult(7);
    await load(person);
    const code = await codeSentTo(person.email!);
    const attempt = (c: string) =>
      call(
        '/api/patient/activation/verify',
        { nir: person.ins, vitaleSerial: person.vitale_serial, code: c },
        { ip: newIp() },
      );
    for (let i = 0; i < 5; i++) expect(errorCode(await attempt('ZZZZZZZZ'))).toBe('identification-failed');
    const blocked = await attempt(code);
    expect([blocked.statusCode, errorCode(blocked)]).toEqual([429, 'rate-limited']);
    clock.advance(16 * 60_000);
    expect((await attempt(code)).statusCode).toBe(200);
  });

  it('refuses wrong and expired one-time codes, then exhausts them', async () => {
    const person = adult(8);
    await load(person);
    await activate(person, 'otp.tester');
    const ip = newIp();
    const wrongPassword = await call(
      '/api/patient/session',
      { login: 'otp.tester', password: 'wrong-password-1' },
      { ip },
    );
    const unknownLogin = await call(
      '/api/patient/session',
      { login: 'nobody.here', password: PASSWORD },
      { ip },
    );
    expect([wrongPassword.statusCode, errorCode(wrongPassword)]).toEqual([401, 'credentials-invalid']);
    expect(unknownLogin.json()).toEqual(wrongPassword.json());

    const started = await call('/api/patient/session', { login: 'otp.tester', password: PASSWORD }, { ip });
    const challengeId = started.json().challengeId;
    const right = await otpSentTo(person.email!);
    const wrong = right === '000000' ? '111111' : '000000';
    const confirm = (code: string) => () => call('/api/patient/session/otp', { challengeId, code });
    for (let i = 0; i < 5; i++) await expectRefusal(confirm(wrong), 401, 'otp-invalid');
    await expectRefusal(confirm(right), 401, 'otp-exhausted');

    const again = await call('/api/patient/session', { login: 'otp.tester', password: PASSWORD }, { ip });
    const fresh = await otpSentTo(person.email!);
    clock.advance(10 * 60_000);
    await expectRefusal(
      () => call('/api/patient/session/otp', { challengeId: again.json().challengeId, code: fresh }),
      410,
      'otp-expired',
    );
  });

  it('records an opposition with a PDF proof, after which activation is refused', async () => {
    const person = adult(9);
    await load(person);
    const code = await codeSentTo(person.email!);
    const body = { nir: person.ins, vitaleSerial: person.vitale_serial, code };
    const opposed = await call('/api/patient/opposition', body, { ip: newIp() });
    expect(opposed.statusCode).toBe(201);
    const proof = await call(opposed.json().proofUrl);
    expect(proof.headers['content-type']).toBe('application/pdf');
    expect(proof.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const row = await carnet.ctx.db
      .selectFrom('patients')
      .selectAll()
      .where('ins', '=', person.ins)
      .executeTakeFirstOrThrow();
    expect(row.profile_state).toBe('opposed');
    const pending = await carnet.ctx.db
      .selectFrom('activation_codes')
      .selectAll()
      .where('patient_id', '=', row.id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(pending).toEqual([]);
    // Its code is revoked: the profile's state is told to no one, its owner included (they know it).
    await expectRefusal(
      () => call('/api/patient/activation/verify', body, { ip: newIp() }),
      400,
      'identification-failed',
    );
    expect(errorCode(await call('/api/patient/opposition/nope/proof.pdf'))).toBe('opposition-proof-unknown');
  });

  it("lets a legal representative activate and close their child's profile", async () => {
    const parent = adult(10, { email: 'parent10@exemple.fr' });
    const stranger = adult(11);
    const kid = child(12, parent.ins);
    await load(parent, stranger, kid);
    const kidCode = /code provisoire suivant : ([A-Z0-9]{8})/.exec(
      (await outgoingEmails(carnet.ctx)).find(
        (m) => m.recipient === 'parent10@exemple.fr' && m.body_text.includes('représentant légal'),
      )!.body_text,
    )![1]!;
    await expectRefusal(
      () =>
        call(
          '/api/patient/activation/verify',
          { nir: kid.ins, vitaleSerial: kid.vitale_serial, code: kidCode },
          { ip: newIp() },
        ),
      409,
      'profile-minor',
    );
    await activate(parent, 'parent.ten');
    await activate(stranger, 'stranger.eleven');
    const parentCookie = await signIn('parent.ten', 'parent10@exemple.fr');
    const strangerCookie = await signIn('stranger.eleven', stranger.email!);
    const body = { childNir: kid.ins, code: kidCode };
    await expectRefusal(
      () => call('/api/patient/children/activate', body, { cookie: strangerCookie, ip: newIp() }),
      400,
      'identification-failed',
    );
    // A stranger learns nothing: a child's NIR with its code answers as an unknown NIR does.
    const asStranger = (childNir: string) =>
      call(
        '/api/patient/children/activate',
        { childNir, code: kidCode },
        { cookie: strangerCookie, ip: newIp() },
      );
    expect((await asStranger(kid.ins)).json()).toEqual((await asStranger(withKey('2150675056999'))).json());
    const activated = await call('/api/patient/children/activate', body, {
      cookie: parentCookie,
      ip: newIp(),
    });
    expect([activated.statusCode, activated.json().state, activated.json().minor]).toEqual([
      201,
      'activated',
      true,
    ]);
    const me = await call('/api/patient/me', undefined, { cookie: parentCookie });
    expect(me.json().managed.map((p: { ins: string }) => p.ins)).toEqual([kid.ins]);
    // The child's history says who activated the profile: their representative.
    const kidActivation = await accountTraces('activation', activated.json().id);
    expect(kidActivation.map((t) => t.actor_kind)).toEqual(['representative']);

    const childId = activated.json().id;
    await expectRefusal(
      () => call(`/api/patient/profiles/${childId}/close`, { deleteData: false }, { cookie: strangerCookie }),
      403,
      'not-own-profile',
    );
    const closed = await call(
      `/api/patient/profiles/${childId}/close`,
      { deleteData: false },
      { cookie: parentCookie },
    );
    expect(closed.json().state).toBe('closed');
    expect((await call('/api/patient/me', undefined, { cookie: parentCookie })).json().managed).toEqual([]);
  });

  it('closes one own profile: session ended, deletion recorded, sign-in refused', async () => {
    const person = adult(13);
    await load(person);
    await activate(person, 'closing.person');
    const cookie = await signIn('closing.person', person.email!);
    const contact = await call(
      '/api/patient/account/contact',
      { email: 'New.Mail@exemple.fr', phone: '06 11 22 33 44', currentPassword: PASSWORD },
      { method: 'PUT', cookie },
    );
    expect(contact.json()).toMatchObject({ email: 'new.mail@exemple.fr', phone: '0611223344' });
    const password = await call(
      '/api/patient/account/password',
      { currentPassword: 'nope-nope-123', newPassword: 'another-pass-99' },
      { method: 'PUT', cookie },
    );
    expect(errorCode(password)).toBe('password-incorrect');

    const me = await call('/api/patient/me', undefined, { cookie });
    const closed = await call(
      `/api/patient/profiles/${me.json().self.id}/close`,
      { deleteData: true },
      { cookie },
    );
    expect(closed.json().state).toBe('closed');
    expect(closed.cookies.find((c) => c.name === 'carnet_patient')?.value).toBe('');
    const row = await carnet.ctx.db
      .selectFrom('patients')
      .selectAll()
      .where('ins', '=', person.ins)
      .executeTakeFirstOrThrow();
    expect(row.deletion_requested).toBe(1);
    expect(errorCode(await call('/api/patient/me', undefined, { cookie }))).toBe('unauthenticated');
    const again = await call(
      '/api/patient/session',
      { login: 'closing.person', password: PASSWORD },
      { ip: newIp() },
    );
    expect([again.statusCode, errorCode(again)]).toEqual([409, 'profile-closed']);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('changes the e-mail address only with the current password, and tells the previous address', async () => {
    const person = adult(30, { email: 'ancienne30@exemple.fr' });
    await load(person);
    await activate(person, 'contact.changer');
    const cookie = await signIn('contact.changer', 'ancienne30@exemple.fr');
    const change = (body: object) => () =>
      call('/api/patient/account/contact', body, { method: 'PUT', cookie });
    await expectRefusal(change({ email: 'pirate@exemple.net' }), 400, 'password-incorrect');
    await expectRefusal(
      change({ email: 'pirate@exemple.net', currentPassword: 'pas-le-bon-42' }),
      400,
      'password-incorrect',
    );
    // The phone alone changes without the password; the e-mail stays.
    const phone = await change({ email: 'ancienne30@exemple.fr', phone: '0612345678' })();
    expect(phone.json()).toMatchObject({ email: 'ancienne30@exemple.fr', phone: '0612345678' });

    const changed = await change({ email: 'nouvelle30@exemple.fr', currentPassword: PASSWORD })();
    expect(changed.json()).toMatchObject({ email: 'nouvelle30@exemple.fr' });
    const notice = await latestMail('ancienne30@exemple.fr');
    expect(notice.subject).toBe('L’adresse électronique de votre compte Mon espace santé a été modifiée');
    expect(notice.body_text).toContain('n•••@exemple.fr');
    expect(notice.body_text).not.toContain('nouvelle30@exemple.fr');
    // Each change is in the patient's history, saying which detail changed and never its value.
    const changes = await accountTraces('contact-change', changed.json().id);
    expect(changes.map((t) => JSON.parse(t.detail))).toEqual([
      { email: false, phone: true },
      // The form sent without the phone removes it.
      { email: true, phone: true },
    ]);
    expect(changes.every((t) => !JSON.stringify(t).includes('nouvelle30'))).toBe(true);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('changes the password with the current one, ends the other sessions and tells the address', async () => {
    const person = adult(31, { email: 'mdp31@exemple.fr' });
    await load(person);
    await activate(person, 'password.changer');
    const here = await signIn('password.changer', 'mdp31@exemple.fr');
    const elsewhere = await signIn('password.changer', 'mdp31@exemple.fr');
    const stalled = await call(
      '/api/patient/session',
      { login: 'password.changer', password: PASSWORD },
      { ip: newIp() },
    );
    const stalledCode = await otpSentTo('mdp31@exemple.fr');
    const newPassword = 'un-autre-secret-77';
    await expectRefusal(
      () =>
        call(
          '/api/patient/account/password',
          { currentPassword: 'pas-le-bon-42', newPassword },
          { method: 'PUT', cookie: here },
        ),
      400,
      'password-incorrect',
    );
    const changed = await call(
      '/api/patient/account/password',
      { currentPassword: PASSWORD, newPassword },
      { method: 'PUT', cookie: here },
    );
    expect(changed.statusCode).toBe(204);
    expect((await call('/api/patient/me', undefined, { cookie: here })).statusCode).toBe(200);
    expect(errorCode(await call('/api/patient/me', undefined, { cookie: elsewhere }))).toBe(
      'unauthenticated',
    );
    // A sign-in begun with the old password cannot be finished any more.
    const late = await call('/api/patient/session/otp', {
      challengeId: stalled.json().challengeId,
      code: stalledCode,
    });
    expect(errorCode(late)).toBe('otp-invalid');
    const notice = await latestMail('mdp31@exemple.fr');
    expect(notice.subject).toBe('Le mot de passe de votre compte Mon espace santé a été modifié');
    const me = (await call('/api/patient/me', undefined, { cookie: here })).json();
    expect((await accountTraces('password-change', me.self.id)).map((t) => t.outcome)).toEqual(['success']);
    const old = await call(
      '/api/patient/session',
      { login: 'password.changer', password: PASSWORD },
      { ip: newIp() },
    );
    expect(errorCode(old)).toBe('credentials-invalid');
  });

  it('resets a forgotten password over HTTP, answering alike for an unknown person', async () => {
    const person = adult(32, { email: 'oubli32@exemple.fr' });
    await load(person);
    await activate(person, 'forgetful');
    const cookie = await signIn('forgetful', 'oubli32@exemple.fr');
    const ip = newIp();
    const known = await call(
      '/api/patient/password-reset',
      { nir: person.ins, vitaleSerial: person.vitale_serial },
      { ip },
    );
    const unknown = await call(
      '/api/patient/password-reset',
      { nir: adult(33).ins, vitaleSerial: '12345678' },
      { ip },
    );
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect({ ...known.json(), requestId: 'x' }).toEqual({ ...unknown.json(), requestId: 'x' });
    const mail = await latestMail('oubli32@exemple.fr');
    const code = /la page ouverte pour votre demande : (\d{6})/.exec(mail.body_text)![1]!;
    await expectRefusal(
      () =>
        call(
          '/api/patient/password-reset/confirm',
          { requestId: unknown.json().requestId, code, password: 'tout-nouveau-mdp-5' },
          { ip },
        ),
      400,
      'password-reset-code-invalid',
    );
    const done = await call(
      '/api/patient/password-reset/confirm',
      { requestId: known.json().requestId, code, password: 'tout-nouveau-mdp-5' },
      { ip },
    );
    expect([done.statusCode, done.json()]).toEqual([200, { login: 'forgetful' }]);
    expect(errorCode(await call('/api/patient/me', undefined, { cookie }))).toBe('unauthenticated');
    expect((await latestMail('oubli32@exemple.fr')).body_text).toContain(
      'Votre mot de passe a été modifié le',
    );
  });

  it('sends a fresh sign-in code on « Renvoyer le code », not within the minute', async () => {
    const person = adult(34, { email: 'renvoi34@exemple.fr' });
    await load(person);
    await activate(person, 'resender');
    const started = await call(
      '/api/patient/session',
      { login: 'resender', password: PASSWORD },
      { ip: newIp() },
    );
    const challengeId = started.json().challengeId;
    await expectRefusal(
      () => call('/api/patient/session/otp/resend', { challengeId }),
      429,
      'otp-resend-too-soon',
    );
    clock.advance(60_000);
    const resent = await call('/api/patient/session/otp/resend', { challengeId });
    expect([resent.statusCode, resent.json()]).toEqual([
      200,
      { challengeId, sentTo: 'r•••@exemple.fr', resendInSeconds: 60, resendsLeft: 2 },
    ]);
    const otp = await call('/api/patient/session/otp', {
      challengeId,
      code: await otpSentTo('renvoi34@exemple.fr'),
    });
    expect(otp.statusCode).toBe(200);
  });
});
