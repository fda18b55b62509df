import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
  professionalPrincipalFromRequest,
} from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { CDA_EXAMPLES } from '../../record/content/test-files.ts';
import { depositDocuments } from '../../record/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { readVsmContent, vsmSectionKeys, vsmSectionLabels, type VsmItem } from '../../vsm/index.ts';

interface SectionView {
  key: string;
  label: string;
  items: readonly VsmItem[];
  note: string;
}

describe.each(testDialects)('VSM API on %s', (dialect) => {
  let carnet: TestCarnet;
  let dominique: InsuredPerson;
  let patientCookie: string;
  const pro: Record<'martin' | 'bernard', string> = { martin: '', bernard: '' };

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    dominique = (await findInsuredByIns(carnet.ctx.db, '279035121518989' as Ins))!;
    const now = carnet.ctx.clock.now();
    patientCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, dominique.id, now)).token}`;
    for (const [key, rpps] of [
      ['martin', '10001000115'],
      ['bernard', '10001000214'],
    ] as const) {
      const professional = await findProfessionalByNationalId(carnet.ctx.db, `8${rpps}`);
      const token = await createProfessionalSession(carnet.ctx, professional!);
      pro[key] = `${PRO_SESSION_COOKIE}=${token}`;
    }
  }, 60_000);
  afterAll(() => carnet?.stop());

  const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
    carnet.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const section = (sections: SectionView[], key: string) => sections.find((s) => s.key === key)!;

  it('shows the patient the sections of a VSM deposited by outside software (the ANS example)', async () => {
    // Dr Martin's practice software deposits it (ITI-65 calls this service); its type is the ANS example's own.
    const token = pro.martin.slice(`${PRO_SESSION_COOKIE}=`.length);
    const author = await professionalPrincipalFromRequest(carnet.ctx, {
      cookies: { [PRO_SESSION_COOKIE]: token },
    });
    const bytes = await readFile(path.join(CDA_EXAMPLES, 'VSM_1.4_2022.01.xml'));
    const [doc] = await depositDocuments(carnet.ctx, author, [
      {
        patientId: dominique.id,
        typeCode: 'SYNTH',
        title: 'Synthèse médicale',
        content: bytes,
        declaredContentType: 'text/xml',
      },
    ]);
    const base = `/api/patient/record/${dominique.id}/documents/${doc!.id}`;

    const view = (await call('GET', `${base}/view`, patientCookie)).json() as {
      title: string;
      authors: { name: string }[];
      sections: { title: string; sections: { title: string }[] }[];
    };
    expect(view.title).toBe('Synthèse Médicale');
    expect(view.authors[0]!.name).toBe('Stéphane MEDIONI');
    expect(view.sections.map((s) => s.title)).toEqual([
      'Pathologie en cours, antécédents, allergies et facteurs de risques',
      'Points de vigilance',
      'Traitement au long cours',
    ]);

    // Another software's VSM reads section by section into coded items (what a successor's draft starts from).
    const content = await call('GET', `${base}/content`, patientCookie);
    expect(content.statusCode).toBe(200);
    const stored = readVsmContent(content.body);
    const sections: SectionView[] = vsmSectionKeys.map((key) => ({
      key,
      label: vsmSectionLabels[key],
      ...stored[key],
    }));
    expect(section(sections, 'allergies')).toMatchObject({ label: 'Allergies et intolérances' });
    expect(section(sections, 'allergies').items[0]).toMatchObject({
      text: expect.stringMatching(/Paracétamol/),
      code: { system: 'CIS', code: '60234100' },
    });
    expect(
      section(sections, 'treatments')
        .items.map((i) => i.text)
        .join('\n'),
    ).toMatch(/PLAVIX[\s\S]*COUMADINE/);
    expect(section(sections, 'familyHistory').items).toEqual([
      {
        text: 'Mère | Anémie drépanocytaire',
        relative: 'mother',
        code: { system: 'CIM-10', code: 'D57.1', display: 'Anémie à hématies falciformes sans crises' },
      },
    ]);

    const stranger = await call('GET', `${base}/content`, pro.martin);
    expect(stranger.statusCode).toBe(401);
  });

  it('lets a doctor draft and deposit a VSM the patient then reads; a nurse is refused', async () => {
    const nurse = await call('GET', `/api/pro/patients/${dominique.id}/vsm/draft`, pro.bernard);
    expect([nurse.statusCode, nurse.json().error.code]).toEqual([403, 'role']);

    const draft = await call('GET', `/api/pro/patients/${dominique.id}/vsm/draft`, pro.martin);
    expect(draft.statusCode).toBe(200);
    const body = draft.json() as {
      patient: { ins: string };
      previous: { ownDocument: boolean };
      sections: SectionView[];
    };
    expect(body.patient.ins).toBe('279035121518989');
    expect(body.previous.ownDocument).toBe(true); // the ANS example above, deposited as Dr Martin
    expect(section(body.sections, 'activeProblems').items).toHaveLength(2);

    const sections: Record<string, { items: readonly (VsmItem | string)[]; note: string }> =
      Object.fromEntries(body.sections.map((s) => [s.key, { items: s.items, note: s.note }]));
    // The coded items of the draft go back as they came; an old client's plain line is a text-only item.
    sections.therapeuticProject = {
      items: ['Contrôle INR mensuel'],
      note: 'Réévaluer l’anticoagulation dans 6 mois.',
    };
    const bad = await call('POST', `/api/pro/patients/${dominique.id}/vsm`, pro.martin, {
      sections: { nonsense: { items: [] } },
    });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'vsm-section-unknown']);
    const written = await call('POST', `/api/pro/patients/${dominique.id}/vsm`, pro.martin, { sections });
    expect(written.statusCode).toBe(201);
    const doc = written.json() as { id: string; versionNumber: number; replacedId: string; viewUrl: string };
    expect(doc.replacedId).toBeTruthy();
    expect(doc.versionNumber).toBe(2);
    const proView = await call('GET', doc.viewUrl, pro.martin);
    expect(proView.statusCode).toBe(200);

    // What the patient downloads is the CDA; read back section by section, it holds what the doctor wrote.
    const mine = await call(
      'GET',
      `/api/patient/record/${dominique.id}/documents/${doc.id}/content`,
      patientCookie,
    );
    expect(mine.statusCode).toBe(200);
    const stored = readVsmContent(mine.body);
    const read: SectionView[] = vsmSectionKeys.map((key) => ({
      key,
      label: vsmSectionLabels[key],
      ...stored[key],
    }));
    expect(section(read, 'therapeuticProject')).toMatchObject({
      items: [{ text: 'Contrôle INR mensuel' }],
      note: 'Réévaluer l’anticoagulation dans 6 mois.',
    });
    expect(section(read, 'activeProblems').items).toEqual(section(body.sections, 'activeProblems').items);
    expect(section(read, 'activeProblems').items[0]).toMatchObject({
      code: { system: 'CIM-10', code: 'G45.9' },
    });
  });

  it('refuses an item the kit does not know, or a field the section does not take, in French', async () => {
    const post = (sections: object) =>
      call('POST', `/api/pro/patients/${dominique.id}/vsm`, pro.martin, { sections });
    const cases: [object, string, RegExp][] = [
      [
        {
          activeProblems: {
            items: [{ text: 'Diabète', code: { system: 'CIM-10', code: 'E99.9', display: 'x' } }],
          },
        },
        'vsm-item-invalid',
        /Pathologies en cours » : le code « E99\.9 » n’est pas un code CIM-10 connu/,
      ],
      [
        {
          treatments: {
            items: [{ text: 'Metformine', code: { system: 'CIM-10', code: 'E11.9', display: 'x' } }],
          },
        },
        'vsm-item-invalid',
        /Traitements au long cours.*la terminologie CIM-10 n’est pas admise ici/,
      ],
      [
        { vigilance: { items: [{ text: 'Anticoagulé', severity: 'severe' }] } },
        'vsm-item-invalid',
        /Points de vigilance.*le champ « severity » n’est pas prévu/,
      ],
      [
        { allergies: { items: [{ text: 'Latex', start: '12/03/2020' }] } },
        'vsm-item-invalid',
        /date invalide \(AAAA, AAAA-MM ou AAAA-MM-JJ\)/,
      ],
      [{ allergies: { items: [42] } }, 'vsm-item-invalid', /chaque élément doit avoir un libellé/],
    ];
    for (const [sections, code, message] of cases) {
      const refused = await post(sections);
      expect([refused.statusCode, refused.json().error.code]).toEqual([400, code]);
      expect(refused.json().error.message).toMatch(message);
    }
  });
});
