import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser, signInThroughProvider } from '../../auth/professional/test-pro-login.ts';
import { insKey, type Ins, type PatientId } from '../../identity/index.ts';
import { insuredRow, type InsuredPerson } from '../../insured/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { uuidv7 } from '../../shared/index.ts';
import { testDialects } from '../../storage/test-databases.ts';

const person: InsuredPerson = {
  id: uuidv7() as PatientId,
  ins: '279035121518989' as Ins,
  insOid: '1.2.250.1.213.1.4.10',
  birthName: 'PAT-TROIS',
  usedName: undefined,
  firstNames: 'Dominique',
  birthDate: '1979-03-28',
  sex: 'female',
  birthPlaceInsee: '51215',
  email: 'dominique@example.fr',
  phone: undefined,
  vitaleSerial: '123456789',
  profileState: 'activated',
  stateChangedAt: '2026-01-01T00:00:00.000Z',
  deletionRequested: false,
};
const unknownIns = `1850175123456${insKey('1850175123456')}`;

describe.each(testDialects)('professional portal API (%s)', (dialect) => {
  let carnet: TestCarnet;
  let doctor: TestBrowser;
  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await carnet.ctx.db
      .insertInto('patients')
      .values(insuredRow(person, '2026-01-01T00:00:00.000Z'))
      .execute();
    doctor = new TestBrowser(carnet.url);
    await signInThroughProvider(doctor, '810001000115');
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  const errorCode = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  it('finds a patient by INS, spaces allowed', async () => {
    const response = await doctor.fetch('/api/pro/patients?ins=2%2079%2003%2051%20215%20189%2089');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      patient: {
        // The portal goes on to the record with it.
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ins: '279035121518989',
        firstNames: 'Dominique',
        birthName: 'PAT-TROIS',
        usedName: null,
        birthDate: '1979-03-28',
        sex: 'female',
        profileState: 'activated',
        active: true,
      },
    });
  });

  it('says why an INS is wrong (400) and when nobody has it (404)', async () => {
    const badKey = await doctor.fetch('/api/pro/patients?ins=279035121518988');
    expect(badKey.status).toBe(400);
    expect(await errorCode(badKey)).toMatchObject({
      code: 'ins-invalid',
      message: expect.stringContaining('clé'),
    });
    const unknown = await doctor.fetch(`/api/pro/patients?ins=${unknownIns}`);
    expect(unknown.status).toBe(404);
    expect((await errorCode(unknown)).code).toBe('insured-unknown');
  });

  it('answers 401 without a professional session', async () => {
    const response = await fetch(`${carnet.url}/api/pro/patients?ins=279035121518989`);
    expect(response.status).toBe(401);
    expect((await errorCode(response)).code).toBe('session-required');
    expect(
      (await fetch(`${carnet.url}/api/pro/me`, { headers: { cookie: 'carnet_pro=forged' } })).status,
    ).toBe(401);
  });
});
