import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { Client, type FhirResource } from 'fhir-kit-client';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/patients.ts';
import { seedDemo, seedDemoContent } from '../../src/demo/seed.ts';
import { insConditional, provideBundle } from '../../src/fhir/mhd-test-bundles.ts';
import { issueDevAccessToken } from '../../src/idp/dev-token.ts';
import { startSmtpSink, type SmtpSink } from '../../src/mail/test-smtp-sink.ts';
import { CDA_EXAMPLES } from '../../src/record/content/test-files.ts';
import { startTestCarnet, type TestCarnet } from '../../src/server/test-server.ts';
import {
  launchBrowser,
  newContext,
  pageErrors,
  patientDocumentsOfClass,
  requireWebBuild,
  screenshot,
} from './browser.ts';

/**
 * Demo patients (src/demo/patients.ts) and professionals (src/demo/professionals.ts) of the use cases of the
 * Assurance Maladie's brochure (docs/README.md, "Sources").
 */
const lea = {
  ins: '299083417201149',
  login: 'lea.fontaine',
  email: 'lea.fontaine@mail.example',
  name: 'Léa FONTAINE',
};
const marie = {
  ins: '271096912304585',
  login: 'marie.morel',
  email: 'marie.morel@mail.example',
  name: 'Marie MOREL',
};
/** The ANS test patient: the official CDA examples name her, so the hospital sends its example unchanged. */
const dominique = {
  ins: '279035121518989',
  oid: '1.2.250.1.213.1.4.10',
  name: 'Dominique PAT-TROIS',
  login: 'dominique.pat-trois',
  email: 'dominique.pat-trois@mail.example',
};
const midwife = { button: /carte e-CPS de Amina DIALLO/, address: 'amina.diallo@sagesfemmes.mssante.fr' };
const martin = /carte e-CPS de Dr Claire MARTIN/;
const girard = { button: /carte e-CPS de Dr Nicolas GIRARD/, rpps: '10001000818' };
const martinRpps = '10001000115';
/** An ANS example document whose author (RPPS 01234567897 in the examples) is the demo doctor with this RPPS. */
const asWrittenBy = (cda: Buffer, rpps: string) =>
  Buffer.from(cda.toString('utf8').replaceAll('extension="801234567897"', `extension="8${rpps}"`), 'utf8');
/** Dr Martin's successor in the practice. */
const lefevre = /carte e-CPS de Dr Thomas LEFÈVRE/;

async function pdf(lines: readonly string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  lines.forEach((text, i) => page.drawText(text, { x: 60, y: 760 - i * 24, size: 13, font }));
  return Buffer.from(await doc.save());
}

async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('care coordination around the shared record in the browser', () => {
  let sink: SmtpSink;
  let carnet: TestCarnet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];

  beforeAll(async () => {
    requireWebBuild();
    // Every e-mail Carnet sends (sign-in codes, notices, the patients' replies) reaches this operator's sink.
    sink = await startSmtpSink();
    carnet = await startTestCarnet('sqlite', { env: { CARNET_SMTP_RELAY: `127.0.0.1:${sink.port}` } });
    await seedDemo(carnet.ctx);
    // Marie's profile (HbA1c series, treatments…) and the Assurance Maladie feed (her reimbursed care).
    await seedDemoContent(carnet.ctx);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await carnet?.stop();
    await sink?.stop();
  });

  async function open(): Promise<Page> {
    const context = await newContext(browser, carnet.url);
    contexts.push(context);
    errors.push(pageErrors(context));
    return context.newPage();
  }

  const mailsTo = (address: string) => sink.received.filter((m) => m.to.includes(address));

  async function patientSignsIn(who: { login: string; email: string; name: string }): Promise<Page> {
    const page = await open();
    const before = mailsTo(who.email).length;
    await page.goto('/connexion');
    await page.getByRole('textbox', { name: 'Identifiant' }).fill(who.login);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de connexion' }).waitFor();
    const codeMail = await waitFor(
      () =>
        mailsTo(who.email)
          .slice(before)
          .find((m) => m.subject === 'Votre code de connexion Mon espace santé'),
      'the sign-in code',
    );
    const otp = /code de connexion à Mon espace santé est : (\d{6})/.exec(codeMail.text)?.[1];
    await page.getByLabel('Code reçu par e-mail').fill(otp ?? '');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('heading', { name: `Bonjour ${who.name}` }).waitFor();
    return page;
  }

  /** A professional signs in with the development e-CPS and opens the patient's record from the INS search. */
  async function proOpensRecord(button: RegExp, patient: { ins: string; name: string }): Promise<Page> {
    const page = await open();
    await page.goto('/pro/');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.getByRole('button', { name: button }).click();
    await page.getByLabel('Matricule INS du patient').fill(patient.ins);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Ouvrir le dossier médical partagé' }).click();
    await page.getByRole('heading', { name: `Dossier médical partagé de ${patient.name}` }).waitFor();
    return page;
  }

  async function declareConsent(page: Page) {
    await page.getByRole('heading', { name: 'Accord du patient nécessaire' }).waitFor();
    await page.getByRole('button', { name: 'Le patient m’a donné son accord' }).click();
    await page.getByRole('heading', { name: /^Documents \(\d+\)$/ }).waitFor();
  }

  async function proDeposits(page: Page, title: string, type: string, lines: readonly string[]) {
    await page.getByLabel('Titre du document').fill(title);
    await page.getByLabel('Type de document').selectOption(type);
    await page
      .getByLabel('Fichier PDF')
      .setInputFiles({ name: 'compte-rendu.pdf', mimeType: 'application/pdf', buffer: await pdf(lines) });
    await page.getByRole('button', { name: 'Déposer le document' }).click();
    await page.getByText(`Le document « ${title} » a été déposé dans le dossier.`).waitFor();
  }

  /** The section headings of a structured (CDA) document as the page renders it. */
  const cdaHeadings = (page: Page) => page.locator('article.cda').locator('h3, h4, h5').allInnerTexts();
  /** The portal folds a CDA's sections on a phone: open them all to read the whole document. */
  const unfold = async (page: Page) => {
    const all = page.getByRole('button', { name: 'Tout déplier' });
    if ((await all.count()) > 0) await all.click();
  };

  it('pregnancy: the midwife deposits her reports and writes through MSSanté; Léa reads them and replies', async () => {
    // 1. The hospital midwife deposits the first-trimester ultrasound and the consultation report (no consent needed).
    const echo = 'Échographie du premier trimestre (12 SA)';
    const consultation = 'Consultation prénatale du 4e mois';
    const diallo = await proOpensRecord(midwife.button, lea);
    await diallo.getByRole('heading', { name: 'Accord du patient nécessaire' }).waitFor();
    await proDeposits(diallo, echo, '18748-4', [
      'Echographie du premier trimestre',
      'Grossesse evolutive, 12 SA',
    ]);
    await proDeposits(diallo, consultation, '11488-4', [
      'Consultation prenatale',
      'Tension 11/7, poids +3 kg',
    ]);
    await screenshot(diallo, 'pregnancy-01-sage-femme-depots');

    // 2. She writes to Léa's MSSanté address from her own mail client, through Carnet's SMTP gateway.
    const subject = 'Suivi de votre grossesse';
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: carnet.config.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    const sent = await transport
      .sendMail({
        from: `Amina Diallo, sage-femme <${midwife.address}>`,
        to: `${lea.ins}@patient.mssante.fr`,
        subject,
        messageId: '<grossesse-0001@sagesfemmes.mssante.fr>',
        headers: { 'X-MSS-NIL': 'dmp' },
        text: 'Bonjour,\n\nL’échographie est normale. Prochain rendez-vous dans un mois, pensez à la prise de sang.\n\nAmina Diallo',
      })
      .finally(() => transport.close());
    expect(sent.response).toMatch(/^250/);

    // 3. Léa finds both reports among her documents and opens the ultrasound.
    const page = await patientSignsIn(lea);
    await page
      .getByRole('link', { name: /Dossier médical/ })
      .first()
      .click();
    const reports = await patientDocumentsOfClass(page, '10');
    await reports.getByRole('link', { name: consultation }).waitFor();
    // An imaging report is filed under medical imaging (class 31, as the ANS correspondence ASS_X04 says).
    const imaging = await patientDocumentsOfClass(page, '31');
    await imaging.getByRole('link', { name: echo }).click();
    await page.getByRole('heading', { name: echo, level: 1 }).waitFor();
    expect(await page.getByRole('main').innerText()).toContain('Amina DIALLO · Sage-femme');
    await page.getByText('Page 1 sur 1', { exact: true }).waitFor();
    const src = (await page.getByRole('link', { name: /^Ouvrir le document/ }).getAttribute('href')) ?? '';
    expect((await (await page.request.get(src)).body()).subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(page, 'pregnancy-02-patiente-echographie');

    // 4. She reads the midwife's message and replies.
    await page.goto('/messagerie');
    await page.getByRole('heading', { name: 'Messagerie', level: 1 }).waitFor();
    await page.getByRole('link', { name: `Non lu : ${subject}` }).click();
    await page.getByRole('heading', { name: subject, level: 1 }).waitFor();
    await page.getByText('L’échographie est normale. Prochain rendez-vous dans un mois').waitFor();
    await page.getByLabel('Votre réponse').fill('Merci, je prends rendez-vous au laboratoire cette semaine.');
    await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await page.getByText('Votre réponse a été envoyée.').waitFor();
    await screenshot(page, 'pregnancy-03-patiente-reponse');

    // 5. The reply reaches the midwife's mailbox, threaded on her message.
    const reply = await simpleParser(
      (await waitFor(() => mailsTo(midwife.address)[0], 'the reply at the operator')).raw,
    );
    expect(reply.inReplyTo).toBe('<grossesse-0001@sagesfemmes.mssante.fr>');
    expect(reply.text).toContain('je prends rendez-vous au laboratoire');
    expect(errors.flat()).toEqual([]);
  }, 60_000);

  it('a hospital deposits a discharge letter (11490-0) through the FHIR API and the GP reads it in the portal', async () => {
    // 1. The hospital's software (FHIR client, Dr Girard's token) sends the ANS discharge letter with ITI-65.
    const title = 'Lettre de liaison de sortie — cardiologie';
    const client = new Client({ baseUrl: `${carnet.url}/fhir` });
    client.bearerToken = await issueDevAccessToken(carnet.ctx, { rpps: girard.rpps });
    // The ANS example, as the hospital's software would write it for Dr Girard: he is its author (the DMP
    // checks the CDA header's author against who deposits).
    const letter = asWrittenBy(await readFile(path.join(CDA_EXAMPLES, 'LDL-SES_2022.01.xml')), girard.rpps);
    const bundle = provideBundle(insConditional(dominique.oid, dominique.ins), [
      { bytes: letter, contentType: 'text/xml', typeCode: '11490-0', title },
    ]);
    const response = (await client.transaction({
      body: bundle as unknown as FhirResource,
    })) as unknown as Bundle;
    expect(response.entry?.map((e) => e.response?.status)).toEqual([
      '201 Created',
      '201 Created',
      '201 Created',
    ]);

    // 2. The GP opens the patient's record with her consent and reads the letter, rendered section by section.
    const page = await proOpensRecord(martin, dominique);
    await declareConsent(page);
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.locator('article.cda').waitFor();
    await unfold(page);
    expect(await page.locator('article.cda h2').innerText()).toBe(
      // The CDA's own title, as the hospital wrote it.
      "Lettre de liaison à la sortie de l'établissement de santé",
    );
    const headings = await cdaHeadings(page);
    for (const heading of [
      "Motif de l'hospitalisation",
      'Synthèse médicale du séjour',
      'Traitements à la sortie',
      'Suites à donner',
    ])
      expect(headings).toContain(heading);
    // The portal's own description: the document's type and the hospital doctor whose software deposited it.
    const main = await page.getByRole('main').innerText();
    expect(main).toContain("Lettre de liaison à la sortie d'un établissement de soins");
    expect(main).toContain('Dr Nicolas GIRARD · Médecin · Centre hospitalier de démonstration');
    await screenshot(page, 'discharge-01-medecin-traitant-lettre');
    expect(errors.flat()).toEqual([]);
  }, 60_000);

  it('a lab report (the ANS TSH example) reads on the patient’s phone: its results table fits the screen', async () => {
    const title = 'Bilan thyroïdien (laboratoire)';
    const client = new Client({ baseUrl: `${carnet.url}/fhir` });
    client.bearerToken = await issueDevAccessToken(carnet.ctx, { rpps: martinRpps });
    // Every author of the example (the biologist, the validator) becomes the depositing doctor.
    const xml = (await readFile(path.join(CDA_EXAMPLES, 'BIO-CR-BIO_2024.01_TSH_1.xml'), 'utf8')).replaceAll(
      /extension="8\d{11}"/g,
      `extension="8${martinRpps}"`,
    );
    const bundle = provideBundle(insConditional(dominique.oid, dominique.ins), [
      {
        bytes: Buffer.from(xml),
        contentType: 'text/xml',
        typeCode: '11502-2',
        typeSystem: 'http://loinc.org',
        title,
      },
    ]);
    await client.transaction({ body: bundle as unknown as FhirResource });

    const page = await patientSignsIn(dominique);
    await page
      .getByRole('link', { name: /Dossier médical/ })
      .first()
      .click();
    await page.getByRole('link', { name: title }).click();
    await page.locator('article.cda').waitFor();
    await unfold(page);
    const results = page.locator('article.cda .table-scroll', { hasText: 'Thyréostimuline' });
    expect(await results.innerText()).toMatch(/Valeurs de référence/);
    // Its three columns, reference values included, show without a sideways scroll.
    expect(await results.evaluate((box) => box.scrollWidth <= box.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'bio-01-patiente-compte-rendu');
    expect(errors.flat()).toEqual([]);
  }, 60_000);

  it('a VSM written by the GP’s own software (the ANS example) is shown to the patient section by section', async () => {
    const title = 'Synthèse médicale (logiciel du cabinet)';
    const client = new Client({ baseUrl: `${carnet.url}/fhir` });
    client.bearerToken = await issueDevAccessToken(carnet.ctx, { rpps: martinRpps });
    const vsm = asWrittenBy(await readFile(path.join(CDA_EXAMPLES, 'VSM_1.4_2022.01.xml')), martinRpps);
    const bundle = provideBundle(insConditional(dominique.oid, dominique.ins), [
      {
        bytes: vsm,
        contentType: 'text/xml',
        typeCode: 'SYNTH',
        typeSystem: 'urn:oid:1.2.250.1.213.1.1.4.12',
        title,
      },
    ]);
    await client.transaction({ body: bundle as unknown as FhirResource });

    const page = await patientSignsIn(dominique);
    await page
      .getByRole('link', { name: /Dossier médical/ })
      .first()
      .click();
    const syntheses = await patientDocumentsOfClass(page, '11');
    await syntheses.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.locator('article.cda').waitFor();
    await unfold(page);
    // The document's own sections, nested and in its order (not Carnet's VSM model).
    expect(await cdaHeadings(page)).toEqual([
      'Pathologie en cours, antécédents, allergies et facteurs de risques',
      'Pathologies en cours, antécédents et allergies',
      'Pathologie en cours',
      'Antécédents médicaux',
      'Antécédents chirurgicaux',
      'Allergies et hypersensibilités',
      'Facteurs de risque',
      'Mode de vie',
      'Facteurs de risques professionnels',
      'Antécédents familiaux',
      'Points de vigilance',
      'Traitement au long cours',
      'Traitements',
    ]);
    expect(await page.locator('article.cda h4', { hasText: 'Traitements' }).count()).toBe(1);
    // Each section's coded entries under its narrative: the problem with its CIM-10 code, the treatment's details.
    const problems = page.getByRole('list', { name: 'Données codées : Pathologie en cours' });
    const tia = problems
      .getByRole('listitem')
      .filter({ hasText: 'Accident ischémique cérébral transitoire' });
    expect(await tia.innerText()).toMatch(
      /CIM-10 G45\.9[\s\S]*Début\s:\s11\/08\/2019[\s\S]*Statut\s:\sEn cours/,
    );
    const treatments = page.getByRole('list', { name: 'Données codées : Traitements' });
    const plavix = await treatments.getByRole('listitem').first().innerText();
    expect(plavix).toContain('PLAVIX 75 mg, comprimé pelliculé (CIS 63564053, CIP 3400938022209)');
    expect(plavix).toMatch(/Voie\s:\sVoie orale/);
    expect(plavix).toMatch(/Motif : Angine de poitrine instable\s*CIM-10 I20\.0/);
    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'vsm-04-patiente-vsm-logiciel');
    expect(errors.flat()).toEqual([]);
  }, 60_000);

  it('a retiring GP writes the VSM; the successor and the patient read its sections', async () => {
    const project = 'Relais au successeur : HbA1c tous les 3 mois, fond d’œil annuel';
    // 1. Dr Martin writes Marie's VSM, prefilled from her profile, adds the therapeutic project and deposits it.
    const doctor = await proOpensRecord(martin, marie);
    await declareConsent(doctor);
    await doctor.getByRole('link', { name: 'Volet de synthèse médicale' }).click();
    await doctor
      .getByRole('heading', { name: 'Volet de synthèse médicale de Marie MOREL', level: 1 })
      .waitFor();
    const section = (name: string) => doctor.getByRole('group', { name, exact: true });
    // Each section is a heading too, to move through the long form from heading to heading.
    await doctor.getByRole('heading', { name: 'Pathologies en cours', level: 2 }).waitFor();
    const labels = (name: string) =>
      section(name)
        .getByLabel('Libellé', { exact: true })
        .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    /** Adds an item row to a section with its button; the focus lands on the new row's label. */
    const addItem = async (name: string) => {
      await section(name).getByRole('button', { name: 'Ajouter un élément' }).click();
      const row = section(name).getByRole('group').last();
      await expect
        .poll(() =>
          row.getByLabel('Libellé', { exact: true }).evaluate((el) => el === document.activeElement),
        )
        .toBe(true);
      return row;
    };
    // The profile's entries arrive as rows.
    await expect
      .poll(() => labels('Traitements au long cours'))
      .toContainEqual(expect.stringContaining('Metformine 1000 mg'));
    expect(await labels('Allergies et intolérances')).toContainEqual(expect.stringContaining('Pénicilline'));
    expect(await labels('Pathologies en cours')).toContainEqual(expect.stringContaining('Diabète de type 2'));
    // She codes a problem, mistyping its CIM-10 code: the form says so as soon as she leaves the field.
    const diagnosis = 'Diabète sucré de type 2, sans complication';
    const problem = await addItem('Pathologies en cours');
    await problem.getByLabel('Libellé', { exact: true }).fill(diagnosis);
    await problem.getByLabel('Code CIM-10').fill('Z99.99');
    await problem.getByLabel('Libellé du code').fill(diagnosis);
    await problem.getByText('Code inconnu de la CIM-10').waitFor();
    expect(await problem.getByLabel('Code CIM-10').getAttribute('aria-invalid')).toBe('true');
    await problem.getByLabel('Début').fill('03/2019');
    // A coded treatment, taken by mouth, and the therapeutic project.
    const treatment = await addItem('Traitements au long cours');
    await treatment.getByLabel('Libellé', { exact: true }).fill('Metformine 1000 mg matin et soir');
    await treatment.getByLabel('Code ATC').fill('A10BA02');
    await treatment.getByLabel('Libellé du code').fill('Metformine');
    await treatment.getByLabel('Voie d’administration').selectOption({ label: 'Voie orale' });
    await treatment.getByLabel('Posologie').fill('1 comprimé matin et soir');
    expect(await treatment.getByText('Code inconnu').count()).toBe(0);
    // A row added by mistake goes with its button, from the keyboard; the focus stays in the section.
    const vigilance = section('Points de vigilance');
    const before = await vigilance.getByRole('group').count();
    await (await addItem('Points de vigilance')).getByRole('button', { name: /^Retirer/ }).press('Enter');
    expect(await vigilance.getByRole('group').count()).toBe(before);
    expect(await vigilance.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    const step = await addItem('Projet thérapeutique');
    await step.getByLabel('Libellé', { exact: true }).fill(project);
    // On a phone the row's fields stack, and nothing overflows the screen.
    const [labelBox, codeBox] = await Promise.all([
      treatment.getByLabel('Libellé', { exact: true }).boundingBox(),
      treatment.getByLabel('Code ATC').boundingBox(),
    ]);
    expect(codeBox!.y).toBeGreaterThan(labelBox!.y + labelBox!.height);
    expect(codeBox!.x).toBe(labelBox!.x);
    expect(await doctor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // A family history she codes, forgetting its label: the form says where before sending anything.
    const family = await addItem('Antécédents familiaux');
    await family.getByLabel('Lien de parenté').selectOption({ label: 'Mère' });
    await family.getByLabel('Code CIM-10').fill('E11');
    await family.getByLabel('Libellé du code').fill('Diabète sucré de type 2');
    await doctor.getByRole('button', { name: 'Déposer le volet de synthèse' }).click();
    await expect
      .poll(() => doctor.getByRole('alert').filter({ hasText: 'Antécédents familiaux' }).innerText())
      .toMatch(/Section « Antécédents familiaux », élément \d+ : indiquez le libellé de l’élément\./);
    const familyLabel = family.getByLabel('Libellé', { exact: true });
    expect(await familyLabel.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await familyLabel.getAttribute('aria-invalid')).toBe('true');
    await familyLabel.fill('Mère : diabète de type 2');
    // The deposit refuses the unknown code in French; nothing she typed is lost.
    await doctor.getByRole('button', { name: 'Déposer le volet de synthèse' }).click();
    await expect
      .poll(() => doctor.getByRole('alert').filter({ hasText: 'Z99.99' }).innerText())
      .toMatch(/Section « Pathologies en cours » : le code « Z99\.99 » n’est pas un code CIM-10 connu/);
    await screenshot(doctor, 'vsm-05-medecin-code-inconnu');
    expect(await problem.getByLabel('Libellé', { exact: true }).inputValue()).toBe(diagnosis);
    expect(await problem.getByLabel('Code CIM-10').inputValue()).toBe('Z99.99');
    expect(await treatment.getByLabel('Code ATC').inputValue()).toBe('A10BA02');
    expect(await treatment.getByLabel('Voie d’administration').inputValue()).toBe('20053000');
    expect(await labels('Projet thérapeutique')).toEqual([project]);
    // She corrects it and deposits.
    await problem.getByLabel('Code CIM-10').fill('E11.9');
    await problem.getByLabel('Libellé du code').focus();
    await expect.poll(() => problem.getByText('Code inconnu de la CIM-10').count()).toBe(0);
    await doctor.getByRole('button', { name: 'Déposer le volet de synthèse' }).click();
    await doctor.getByText(/Volet de synthèse déposé dans le dossier \(version 1\)/).waitFor();
    await screenshot(doctor, 'vsm-01-medecin-depot');
    // The deposited document shows the items she added.
    await doctor.getByRole('link', { name: 'Voir le document déposé' }).click();
    await doctor.locator('article.cda').waitFor();
    await unfold(doctor);
    const deposited = await doctor.locator('article.cda').innerText();
    expect(deposited).toContain(diagnosis);
    expect(deposited).toContain('Metformine 1000 mg matin et soir');
    // Her next draft starts from it, codes included.
    await doctor.goBack();
    await doctor.getByText(/Prérempli à partir du volet du/).waitFor();
    const codes = (name: string, label: string) =>
      section(name)
        .getByLabel(label, { exact: true })
        .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(await codes('Pathologies en cours', 'Code CIM-10')).toContain('E11.9');
    expect(await codes('Traitements au long cours', 'Code ATC')).toContain('A10BA02');

    // 2. The successor, Dr Lefèvre of the same practice, opens the record with Marie's consent and reads the VSM's sections.
    const successor = await proOpensRecord(lefevre, marie);
    await declareConsent(successor);
    // The portal lists the record as one table: the category filter keeps the syntheses.
    const filters = successor.locator('details.record-more-filters');
    if (!(await filters.evaluate((d) => (d as HTMLDetailsElement).open)))
      await filters.locator('summary').click();
    await successor.getByLabel('Catégorie').selectOption('11');
    await expect.poll(() => new URL(successor.url()).searchParams.get('class')).toBe('11');
    await successor.locator('.record-count[aria-busy="false"]').waitFor();
    const synthesis = successor.locator('.document-cards, .document-table');
    await synthesis.getByRole('link', { name: 'Volet de synthèse médicale' }).click();
    await successor.getByRole('heading', { name: 'Volet de synthèse médicale', level: 1 }).waitFor();
    await successor.locator('article.cda').waitFor();
    await unfold(successor);
    const expected = [
      'Pathologies en cours',
      'Allergies et intolérances',
      'Antécédents familiaux',
      'Traitements au long cours',
      'Traitement au long cours et projet thérapeutique',
    ];
    const seen = await cdaHeadings(successor);
    for (const heading of expected) expect(seen).toContain(heading);
    const text = await successor.locator('article.cda').innerText();
    expect(text).toContain('Metformine 1000 mg');
    expect(text).toContain(project);
    // The coded items Dr Martin added.
    expect(text).toContain('Diabète sucré de type 2, sans complication');
    expect(text).toContain('Metformine 1000 mg matin et soir');
    expect(text).toMatch(/Claire MARTIN/i);
    await screenshot(successor, 'vsm-02-successeur-lecture');
    // Writing his own, he starts from his predecessor's VSM.
    await successor.goBack();
    await successor.getByRole('link', { name: 'Volet de synthèse médicale' }).first().click();
    await successor.getByText(/Prérempli à partir du/).waitFor();
    expect(await successor.getByRole('main').innerText()).toMatch(
      /Prérempli à partir du volet du .+Claire MARTIN.+Votre dépôt s’ajoutera au volet de ce confrère\./is,
    );

    // 3. Marie finds the VSM among her documents and reads the same sections.
    const page = await patientSignsIn(marie);
    await page
      .getByRole('link', { name: /Dossier médical/ })
      .first()
      .click();
    const mine = await patientDocumentsOfClass(page, '11');
    await mine.getByRole('link', { name: 'Volet de synthèse médicale' }).click();
    await page.getByRole('heading', { name: 'Volet de synthèse médicale', level: 1 }).waitFor();
    await page.locator('article.cda').waitFor();
    await unfold(page);
    const hers = await cdaHeadings(page);
    for (const heading of expected) expect(hers).toContain(heading);
    expect(await page.locator('article.cda').innerText()).toContain(project);
    // On her phone, the coded entries wrap: nothing overflows the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'vsm-03-patiente-lecture');
    expect(errors.flat()).toEqual([]);
  }, 60_000);
});
