import type { Bundle, DocumentReference, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal, ProfessionalPrincipal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoProfessional, seedDemo } from '../demo/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { careLine, importInsurerFeed, MAX_CARE_PAGE } from '../insurer/index.ts';
import {
  addProfileEntry,
  profileAreaLabels,
  profileSections,
  setAreaMasked,
} from '../medical-profile/index.ts';
import { makePdf } from '../record/content/test-files.ts';
import { depositDocuments, type DepositInput } from '../record/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { documentPath, exportRecord, profileSynthesis } from './index.ts';
import { pdfTextLines } from './test-pdf-text.ts';
import { streamToBuffer, unzip } from './test-unzip.ts';

describe.each(testDialects)('portability on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let jean: InsuredPerson;
  let chloe: InsuredPerson;
  let emilie: InsuredPerson;
  let martin: ProfessionalPrincipal;
  const deposited = new Map<string, Uint8Array>();
  let hiddenId: string;
  let hiddenFromParentsId: string;

  const patient = (person: InsuredPerson, actsFor = [person.id]): PatientPrincipal => ({
    kind: 'patient',
    patientId: person.id,
    ins: person.ins,
    actsFor,
  });
  const traces = (person: InsuredPerson, outcome: string) =>
    ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', person.id)
      .where('action', '=', 'export')
      .where('outcome', '=', outcome)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    const byIns = async (ins: string) => (await findInsuredByIns(ctx.db, ins as Ins))!;
    jean = await byIns('168047505611243');
    chloe = await byIns('215027511520318');
    emilie = await byIns('290063306307802');
    martin = await demoProfessional(ctx);
    const me = patient(jean);
    await addProfileEntry(ctx, me, jean.id, 'treatments', { medication: 'Metformine 1000 mg' });
    await addProfileEntry(ctx, me, jean.id, 'allergies', {
      substance: 'Pénicilline',
      category: 'medication',
    });
    await addProfileEntry(ctx, me, jean.id, 'vaccinations', {
      vaccineCode: 'grippe',
      vaccine: 'Grippe saisonnière',
      date: '2025-10-20',
    });
    for (const [value, at] of [
      [7.4, '2025-01-10T09:00:00Z'],
      [6.9, '2025-06-10T09:00:00Z'],
    ] as const)
      await addProfileEntry(ctx, me, jean.id, 'measurements', { kind: 'hba1c', value, at });
    await setAreaMasked(ctx, me, jean.id, 'allergies', true);
    // One more reimbursed care line than a page of the history: the export reads them all, page by page.
    const care = Array.from({ length: MAX_CARE_PAGE + 1 }, (_, i) =>
      careLine({
        lineId: `P${i}`,
        ins: jean.ins,
        date: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
        category: 'maladie',
        label: `Consultation ${i}`,
        professional: 'Dr Claire MARTIN',
        rpps: undefined,
        amountCents: 2650,
      }),
    );
    await importInsurerFeed(ctx, { bytes: Buffer.from(care.join('\n')) }, 'care.txt');

    const deposit = async (person: InsuredPerson, title: string, extra: Partial<DepositInput> = {}) => {
      const content = extra.content ?? (await makePdf(title));
      const [doc] = await depositDocuments(ctx, martin, [
        {
          patientId: person.id,
          typeCode: '11488-4',
          title,
          content,
          declaredContentType: 'application/pdf',
          ...extra,
        },
      ]);
      deposited.set(doc!.id, content);
      return doc!;
    };
    await deposit(jean, 'Compte rendu de consultation');
    await deposit(jean, 'Compte rendu masqué', { confidentiality: ['MASQUE_PS'] });
    await deposit(jean, 'Note en texte', {
      content: new TextEncoder().encode('Glycémie à jeun : à contrôler.\n'),
      declaredContentType: 'text/plain',
    });
    hiddenId = (await deposit(jean, 'Annonce à faire', { confidentiality: ['INVISIBLE_PATIENT'] })).id;
    await deposit(chloe, 'Bilan pédiatrique');
    hiddenFromParentsId = (
      await deposit(chloe, 'Consultation confidentielle', {
        confidentiality: ['INVISIBLE_REPRESENTANTS_LEGAUX'],
      })
    ).id;
  }, 60_000);
  afterAll(async () => {
    await database?.destroy();
  });

  it('writes a PDF synthesis with every section, the masked one noted, and traces the export', async () => {
    const file = await profileSynthesis(ctx, patient(jean), jean.id);
    expect(file.fileName).toMatch(/^synthese-profil-medical-\d{4}-\d{2}-\d{2}\.pdf$/);
    const text = (await pdfTextLines(file.pdf)).flat();
    expect(text.some((line) => line.includes(jean.ins))).toBe(true);
    for (const section of profileSections) expect(text).toContain(profileAreaLabels[section]);
    expect(text[text.indexOf(profileAreaLabels.allergies) + 1]).toMatch(/^Masqué aux professionnels/);
    expect(text).toContain('• Pénicilline');
    expect(text).toContain('• Metformine 1000 mg');
    expect(text).toContain('Dernière valeur : 6,9 % le 10/06/2025');
    const [exported] = await traces(jean, 'success');
    expect(exported).toMatchObject({ actor_kind: 'patient', target_type: 'Patient', target_id: jean.id });
    expect(JSON.parse(exported!.detail)).toMatchObject({ format: 'synthesis-pdf', entries: 5 });
    expect(exported!.detail).not.toContain('Pénicilline');
  });

  it('exports the record as a zip: bundle, original bytes, README, nothing hidden from the patient', async () => {
    const before = (await traces(jean, 'success')).length;
    const zip = await exportRecord(ctx, patient(jean), jean.id);
    expect(zip.fileName).toMatch(/^dossier-medical-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = await unzip(await streamToBuffer(zip.stream));

    const bundle = JSON.parse(files.get('bundle.json')!.toString('utf8')) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const resources = bundle.entry!.map((entry) => entry.resource!);
    const patientResource = resources.find((r): r is Patient => r.resourceType === 'Patient')!;
    expect(patientResource.identifier?.some((id) => id.value === jean.ins)).toBe(true);
    const types = resources.map((r) => r.resourceType);
    expect(types.filter((t) => t === 'Observation')).toHaveLength(2);
    expect(types).toEqual(
      expect.arrayContaining(['MedicationStatement', 'AllergyIntolerance', 'Immunization']),
    );
    for (const entry of bundle.entry!)
      expect(entry.fullUrl).toBe(
        `http://carnet.test/fhir/${entry.resource!.resourceType}/${entry.resource!.id}`,
      );

    const benefits = resources.filter((r) => r.resourceType === 'ExplanationOfBenefit');
    expect(new Set(benefits.map((r) => r.id)).size).toBe(MAX_CARE_PAGE + 1);

    const references = resources.filter(
      (r): r is DocumentReference => r.resourceType === 'DocumentReference',
    );
    const visible = [...deposited.keys()].filter(
      (id) => id !== hiddenId && references.some((r) => r.id === id) === true,
    );
    expect(references).toHaveLength(3);
    expect(visible).toHaveLength(3);
    for (const reference of references) {
      const url = reference.content[0]!.attachment.url!;
      expect(url).toMatch(/^documents\/[0-9a-f-]+\.(pdf|txt)$/);
      expect(Buffer.compare(files.get(url)!, Buffer.from(deposited.get(reference.id!)!))).toBe(0);
    }
    const documentFiles = [...files.keys()].filter((name) => name.startsWith('documents/'));
    expect(documentFiles).toHaveLength(3);
    expect(documentFiles.some((name) => name.includes(hiddenId))).toBe(false);
    expect(files.get('bundle.json')!.toString('utf8')).not.toContain(hiddenId);
    expect(files.get('bundle.json')!.toString('utf8')).not.toContain('Annonce à faire');

    const readme = files.get('README.txt')!.toString('utf8');
    expect(readme).toContain('droit à la');
    expect(readme).toContain('bundle.json');
    expect(readme).toContain('Compte rendu masqué');
    expect(readme).not.toContain('Annonce à faire');

    const after = await traces(jean, 'success');
    expect(after).toHaveLength(before + 1);
    expect(JSON.parse(after.at(-1)!.detail)).toMatchObject({
      format: 'record-zip',
      documents: 3,
      entries: 5,
      careItems: MAX_CARE_PAGE + 1,
    });
  });

  it('lets a parent export a minor’s record without what is hidden from the representatives', async () => {
    const parent = patient(emilie, [emilie.id, chloe.id]);
    const files = await unzip(await streamToBuffer((await exportRecord(ctx, parent, chloe.id)).stream));
    const names = [...files.keys()];
    expect(names.filter((name) => name.startsWith('documents/'))).toHaveLength(1);
    expect(names.some((name) => name.includes(hiddenFromParentsId))).toBe(false);
    expect((await traces(chloe, 'success')).at(-1)!.actor_id).toBe(emilie.id);
  });

  it('refuses professionals and other patients, and traces the refusals', async () => {
    await expect(exportRecord(ctx, martin, jean.id)).rejects.toMatchObject({
      status: 403,
      code: 'role',
    });
    await expect(profileSynthesis(ctx, patient(emilie), jean.id)).rejects.toMatchObject({
      status: 403,
      code: 'not-own-record',
    });
    const denied = await traces(jean, 'denied');
    expect(denied.map((row) => JSON.parse(row.detail) as Record<string, string>)).toEqual([
      { format: 'record-zip', refusal: 'role' },
      { format: 'synthesis-pdf', refusal: 'not-own-record' },
    ]);
  });

  it('documentPath names a file by id and format', () => {
    expect(documentPath({ id: 'abc' as never, contentType: 'text/xml' })).toBe('documents/abc.xml');
  });
});
