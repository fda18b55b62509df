import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { seedDemoProfiles, seedDemo } from '../demo/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { profileSections, readProfile } from '../medical-profile/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import type { FhirCall } from './call.ts';
import { DEFAULT_PAGE_SIZE } from './paging.ts';
import { searchProfileResources } from './profile-interactions.ts';
import { profileEntryToFhir, sectionsOfType } from './profile-resources.ts';

const FHIR = 'http://carnet.test/fhir';

describe.each(testDialects)('profile search paging on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let marie: InsuredPerson;
  let call: FhirCall;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    await seedDemoProfiles(ctx);
    marie = (await findInsuredByIns(ctx.db, '271096912304585' as Ins))!;
    const principal: PatientPrincipal = {
      kind: 'patient',
      patientId: marie.id,
      ins: marie.ins,
      actsFor: [marie.id],
    };
    call = { ctx, principal, fhirBase: FHIR };
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const ids = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource!.id!);

  /** Every Observation as the search answered before paging moved into SQL: all entries opened, sorted here. */
  async function expectedObservations(): Promise<string[]> {
    const sections = sectionsOfType('Observation');
    const view = await readProfile(ctx, call.principal, marie.id, { sections });
    const entries = await Promise.all(
      view.entries.map(async (entry) => {
        const row = await ctx.db
          .selectFrom('profile_entries')
          .select(['effective_at', 'recorded_at'])
          .where('id', '=', entry.id)
          .executeTakeFirstOrThrow();
        return { entry, ...row };
      }),
    );
    entries.sort(
      (a, b) =>
        profileSections.indexOf(a.entry.section) - profileSections.indexOf(b.entry.section) ||
        (b.effective_at ?? '').localeCompare(a.effective_at ?? '') ||
        b.recorded_at.localeCompare(a.recorded_at) ||
        b.entry.id.localeCompare(a.entry.id),
    );
    return entries.map((e) => profileEntryToFhir(e.entry).id!);
  }

  it('pages in the database: the pages, end to end, are the whole ordered list, and total counts them all', async () => {
    const expected = await expectedObservations();
    expect(expected.length).toBeGreaterThan(DEFAULT_PAGE_SIZE);
    const first = await searchProfileResources(call, 'Observation', { patient: marie.id });
    expect(first.total).toBe(expected.length);
    expect(ids(first)).toEqual(expected.slice(0, DEFAULT_PAGE_SIZE));
    expect(first.link?.map((l) => l.relation)).toEqual(['self', 'next']);
    const seen: string[] = [];
    for (let offset = 0; offset < expected.length; offset += 7) {
      const page = await searchProfileResources(call, 'Observation', {
        patient: marie.id,
        _count: '7',
        _offset: String(offset),
      });
      expect(page.total).toBe(expected.length);
      seen.push(...ids(page));
    }
    expect(seen).toEqual(expected);
    const beyond = await searchProfileResources(call, 'Observation', {
      patient: marie.id,
      _offset: String(expected.length + 5),
    });
    expect([beyond.total, ids(beyond)]).toEqual([expected.length, []]);
    const none = await searchProfileResources(call, 'Observation', { patient: marie.id, _count: '0' });
    expect([none.total, ids(none)]).toEqual([expected.length, []]);
  });

  it('opens only the page: an entry outside it is never decrypted', async () => {
    const expected = await expectedObservations();
    const last = expected.at(-1)!;
    const row = await ctx.db
      .selectFrom('profile_entries')
      .select('data_sealed')
      .where('id', '=', last)
      .executeTakeFirstOrThrow();
    // An entry that cannot be opened: reading it would throw.
    await ctx.db
      .updateTable('profile_entries')
      .set({ data_sealed: 'not-sealed' })
      .where('id', '=', last)
      .execute();
    try {
      const first = await searchProfileResources(call, 'Observation', { patient: marie.id, _count: '5' });
      expect(ids(first)).toEqual(expected.slice(0, 5));
      expect(first.total).toBe(expected.length);
    } finally {
      await ctx.db
        .updateTable('profile_entries')
        .set({ data_sealed: row.data_sealed })
        .where('id', '=', last)
        .execute();
    }
  });
});
