import type {
  Bundle,
  Composition,
  Condition,
  DocumentReference,
  MedicationStatement,
} from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfessionalSession, PRO_SESSION_COOKIE } from '../../auth/index.ts';
import { seedDemoProfiles, seedDemo } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { ansCdaCheck, schematronsFor } from '../../shared/testing/ans-cda-check.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { readVsmContent, type VsmItem } from '../../vsm/index.ts';

const RPPS = { martin: '10001000115', lefevre: '10001000917' } as const;

/**
 * The retiring GP of the Assurance Maladie's brochure (docs/README.md, "Sources"): Dr Martin writes Marie's VSM in
 * the portal, coded; Dr Lefèvre, who takes over her patients, finds it from his own software (ITI-67), retrieves it
 * (ITI-68), and reads its coded problems and treatments back, codes included (what his software imports, he does not
 * retype), and as coded FHIR resources in the patient summary.
 */
describe.each(testDialects)('a VSM handed over to the successor on %s', (dialect) => {
  let carnet: TestCarnet;
  let marie: InsuredPerson;
  const cookies = { martin: '', lefevre: '' };
  const tokens = { martin: '', lefevre: '' };
  const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
    carnet.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    await seedDemoProfiles(carnet.ctx);
    marie = (await findInsuredByIns(carnet.ctx.db, '271096912304585' as Ins))!;
    for (const who of ['martin', 'lefevre'] as const) {
      const professional = await findProfessionalByNationalId(carnet.ctx.db, `8${RPPS[who]}`);
      cookies[who] = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(carnet.ctx, professional!)}`;
      tokens[who] = await issueDevAccessToken(carnet.ctx, { rpps: RPPS[who] });
    }
  }, 60_000);
  afterAll(() => carnet?.stop());

  it(
    'Dr Martin’s coded VSM reaches Dr Lefèvre’s software with its CIM-10 problems and ATC treatments',
    { timeout: 60_000 },
    async () => {
      for (const who of ['martin', 'lefevre'] as const)
        expect((await call('POST', `/api/pro/patients/${marie.id}/consent`, cookies[who])).statusCode).toBe(
          204,
        );
      const draft = await call('GET', `/api/pro/patients/${marie.id}/vsm/draft`, cookies.martin);
      const sections = Object.fromEntries(
        (draft.json() as { sections: { key: string; items: VsmItem[]; note: string }[] }).sections.map(
          (s) => [s.key, { items: s.items, note: s.note }],
        ),
      );
      // The profile prefilled her diabetes and metformin, coded; Dr Martin adds a problem and a treatment of her own.
      expect(sections.activeProblems!.items.map((i) => i.code?.code)).toContain('E11');
      sections.activeProblems!.items.push({
        text: 'Rétinopathie diabétique non proliférante',
        code: { system: 'CIM-10', code: 'H36.0', display: 'Rétinopathie diabétique' },
        start: '2024-03',
      });
      sections.treatments!.items.push({
        text: 'Atorvastatine 20 mg',
        code: { system: 'ATC', code: 'C10AA05', display: 'Atorvastatine' },
        route: { system: 'EDQM', code: '20053000', display: 'Voie orale' },
        dosage: '1 comprimé le soir',
      });
      const written = await call('POST', `/api/pro/patients/${marie.id}/vsm`, cookies.martin, { sections });
      expect(written.statusCode).toBe(201);

      const lefevre = new Client({ baseUrl: `${carnet.url}/fhir` });
      lefevre.bearerToken = tokens.lefevre;
      const found = (await lefevre.search({
        resourceType: 'DocumentReference',
        searchParams: { patient: marie.id, type: 'urn:oid:1.2.250.1.213.1.1.4.12|SYNTH', status: 'current' },
      })) as unknown as Bundle<DocumentReference>;
      expect(found.total).toBe(1);
      const reference = found.entry![0]!.resource!;
      expect(reference.author?.length).toBeGreaterThan(0);
      const retrieved = await fetch(
        reference.content[0]!.attachment.url!.replace(carnet.config.baseUrl, carnet.url),
        {
          headers: { authorization: `Bearer ${tokens.lefevre}` },
        },
      );
      expect(retrieved.status).toBe(200);
      const xml = Buffer.from(await retrieved.arrayBuffer()).toString('utf8');
      // What the portal generated from her coded profile conforms, as every VSM Carnet writes must.
      const schematrons = [...schematronsFor('CI-SIS_VSM_2023.01'), 'profils/CI-SIS_ModelesDeContenusCDA'];
      expect(await ansCdaCheck({ xml }, schematrons)).toEqual({ xml: [] });
      const content = readVsmContent(xml);

      const problemCodes = content.activeProblems.items.map(
        (i) => i.code && `${i.code.system} ${i.code.code}`,
      );
      expect(problemCodes).toEqual(expect.arrayContaining(['CIM-10 E11', 'CIM-10 H36.0']));
      expect(content.activeProblems.items.find((i) => i.code?.code === 'H36.0')).toMatchObject({
        start: '2024-03',
      });
      const statin = content.treatments.items.find((i) => i.code?.code === 'C10AA05');
      expect(statin).toMatchObject({
        text: 'Atorvastatine 20 mg',
        route: { system: 'EDQM', code: '20053000' },
        dosage: '1 comprimé le soir',
      });
      expect(content.treatments.items.map((i) => i.code?.code)).toContain('A10BA02');

      // The same problems and treatments, as coded FHIR resources: the patient summary (IPS) made from that VSM.
      const summary = (await lefevre.operation({
        name: '$summary',
        resourceType: 'Patient',
        id: marie.id,
        method: 'GET',
      })) as unknown as Bundle;
      expect(summary.type).toBe('document');
      const resources = summary.entry!.map((e) => e.resource!);
      expect((resources[0] as Composition).resourceType).toBe('Composition');
      const conditions = resources.filter((r): r is Condition => r.resourceType === 'Condition');
      expect(conditions.flatMap((c) => c.code?.coding ?? [])).toContainEqual(
        expect.objectContaining({ system: 'https://smt.esante.gouv.fr/terminologie-cim-10', code: 'H36.0' }),
      );
      const statements = resources.filter(
        (r): r is MedicationStatement => r.resourceType === 'MedicationStatement',
      );
      expect(statements.flatMap((m) => m.medicationCodeableConcept?.coding ?? [])).toContainEqual(
        expect.objectContaining({ system: 'http://www.whocc.no/atc', code: 'C10AA05' }),
      );
    },
  );
});
