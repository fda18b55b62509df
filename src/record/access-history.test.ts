import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppPrincipal, PatientPrincipal, ProfessionalPrincipal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { appendAudit } from '../audit/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoPerson, demoProfessional, patientPrincipal, seedDemo } from '../demo/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { makePdf } from './content/test-files.ts';
import {
  accessHistory,
  changeConfidentiality,
  declareConsent,
  depositDocuments,
  readDocument,
  searchDocuments,
  UNKNOWN_ACTION_LABEL,
  type AccessHistoryEntry,
  type HistoryFilter,
} from './index.ts';

/**
 * The access history as the patient filters it (docs/features.md, "Home and access history"), on storage: who, kind
 * of action and period are applied in the query (totals and pages included), the patient's own actions are left out
 * on request, and each professional's first access is marked.
 */
describe.each(testDialects)('access history filters on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let now = new Date('2026-01-05T09:00:00Z');
  let jean: InsuredPerson;
  let me: PatientPrincipal;
  let martin: ProfessionalPrincipal;
  let bernard: ProfessionalPrincipal;
  const app: AppPrincipal = {
    kind: 'app',
    serviceId: 'glucosuivi',
    serviceName: 'GlucoSuivi',
    grantId: 'grant-1',
    patientId: '' as AppPrincipal['patientId'],
    purposes: ['read-profile'],
    scopes: [],
  };
  const at = async <T>(instant: string, action: () => Promise<T>): Promise<T> => {
    now = new Date(instant);
    return action();
  };
  // Everything the tests did, and nothing the demo seed wrote before: 10 to 13 March 2030 (Paris).
  const period = { from: '2030-03-10', to: '2030-03-13' };
  const history = async (filter: HistoryFilter, page = { count: 200, offset: 0 }) =>
    accessHistory(ctx, me, jean.id, page, { ...period, ...filter });
  const summary = (entries: readonly AccessHistoryEntry[]) =>
    entries.map((e) => `${e.actorName}|${e.action}${e.firstAccess ? '|first' : ''}`);

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock: { now: () => new Date(now) } }));
    await seedDemo(ctx);
    jean = await demoPerson(ctx, 'jean');
    me = patientPrincipal(jean);
    martin = await demoProfessional(ctx, '10001000115');
    bernard = await demoProfessional(ctx, '10001000214');
    const pdf = await makePdf('Compte rendu');
    // In March 2030 Paris is at UTC+1.
    const [doc] = await at('2030-03-10T08:00:00Z', () =>
      depositDocuments(ctx, martin, [
        {
          patientId: jean.id,
          typeCode: '11488-4',
          title: 'Compte rendu de consultation',
          content: pdf,
          declaredContentType: 'application/pdf',
        },
      ]),
    );
    await at('2030-03-10T09:00:00Z', () => declareConsent(ctx, bernard, jean.id));
    await at('2030-03-10T09:05:00Z', () =>
      searchDocuments(ctx, bernard, { patientId: jean.id, count: 20, offset: 0 }),
    );
    await at('2030-03-10T09:06:00Z', () => readDocument(ctx, bernard, doc!.id));
    await at('2030-03-11T10:00:00Z', () => readDocument(ctx, me, doc!.id));
    await at('2030-03-11T10:01:00Z', () => changeConfidentiality(ctx, me, doc!.id, { add: ['MASQUE_PS'] }));
    await at('2030-03-11T10:02:00Z', () =>
      changeConfidentiality(ctx, me, doc!.id, { remove: ['MASQUE_PS'] }),
    );
    await at('2030-03-12T07:00:00Z', () =>
      appendAudit(
        ctx.db,
        {
          patientId: jean.id,
          actor: { ...app, patientId: jean.id },
          action: 'profile-read',
          targetType: 'ProfileSection',
          accessMode: 'application',
          outcome: 'success',
        },
        now,
      ),
    );
    // 23:30 in Paris on the 12th, then 00:30 in Paris on the 13th. Dr Martin reads only what she deposited: without
    // consent that is no consultation of the record, so no first access.
    await at('2030-03-12T22:30:00Z', () => readDocument(ctx, martin, doc!.id));
    await at('2030-03-12T23:30:00Z', () => readDocument(ctx, bernard, doc!.id));
    now = new Date('2030-03-20T12:00:00Z');
  }, 60_000);
  afterAll(async () => {
    await database?.destroy();
  });

  it('shows by default what others did, newest first, each professional’s first access marked', async () => {
    const others = await history({ who: 'others' });
    expect(summary(others.entries)).toEqual([
      'Julien BERNARD|read',
      'Dr Claire MARTIN|read',
      'GlucoSuivi|profile-read',
      'Julien BERNARD|read',
      'Julien BERNARD|search|first',
      'Julien BERNARD|consent',
      'Dr Claire MARTIN|deposit',
    ]);
    expect(others.total).toBe(7);
    const [latest] = others.entries;
    expect(latest).toMatchObject({
      actorRole: 'Infirmier',
      actionLabel: 'Consultation d’un document',
      documentTitle: 'Compte rendu de consultation',
    });
    expect(others.entries.find((e) => e.actorName === 'GlucoSuivi')).toMatchObject({
      actorRole: 'Service connecté',
      actionLabel: 'Consultation du profil médical',
    });
    expect(others.actors.map((a) => `${a.kind}:${a.name}`)).toEqual(
      expect.arrayContaining([
        'app:GlucoSuivi',
        'professional:Dr Claire MARTIN',
        'professional:Julien BERNARD',
      ]),
    );
  });

  it('adds the patient’s own actions on request, or shows only them', async () => {
    const all = await history({ who: 'all' });
    expect(all.total).toBe(10);
    expect(summary(all.entries).filter((s) => s.startsWith('Vous|'))).toEqual([
      'Vous|unmask',
      'Vous|mask',
      'Vous|read',
    ]);
    const mine = await history({ who: 'me' });
    expect(summary(mine.entries)).toEqual(['Vous|unmask', 'Vous|mask', 'Vous|read']);
    expect(mine.entries.map((e) => e.actionLabel)).toEqual([
      'Démasquage d’un document',
      'Masquage d’un document',
      'Consultation d’un document',
    ]);
  });

  it('filters by who: professionals, services, one professional', async () => {
    const pros = await history({ who: 'professionals' });
    expect(new Set(pros.entries.map((e) => e.actorKind))).toEqual(new Set(['professional']));
    expect(pros.total).toBe(6);
    expect(summary((await history({ who: 'apps' })).entries)).toEqual(['GlucoSuivi|profile-read']);
    const one = await history({ who: { professional: martin.nationalId } });
    expect(summary(one.entries)).toEqual(['Dr Claire MARTIN|read', 'Dr Claire MARTIN|deposit']);
  });

  it('filters by kind of action', async () => {
    const documents = await history({ who: 'all', kind: 'documents' });
    expect(new Set(documents.entries.map((e) => e.action))).toEqual(new Set(['search', 'read']));
    expect(documents.total).toBe(5);
    expect(summary((await history({ who: 'others', kind: 'deposit' })).entries)).toEqual([
      'Dr Claire MARTIN|deposit',
    ]);
    expect(summary((await history({ who: 'all', kind: 'document-changes' })).entries)).toEqual([
      'Vous|unmask',
      'Vous|mask',
    ]);
    expect((await history({ who: 'all', kind: 'emergency' })).total).toBe(0);
  });

  it('filters by period in Paris days, both ends included', async () => {
    const twelfth = await history({ who: 'others', from: '2030-03-12', to: '2030-03-12' });
    expect(summary(twelfth.entries)).toEqual(['Dr Claire MARTIN|read', 'GlucoSuivi|profile-read']);
    const thirteenth = await history({ who: 'others', from: '2030-03-13', to: '2030-03-13' });
    expect(summary(thirteenth.entries)).toEqual(['Julien BERNARD|read']);
    const since = await history({ who: 'others', from: '2030-03-11', to: undefined });
    // The 20 March reads of the history are the patient's own: left out.
    expect(since.total).toBe(3);
    await expect(history({ from: '2030-03-12', to: '2030-03-11' })).rejects.toMatchObject({
      status: 400,
      code: 'history-period-invalid',
    });
    await expect(history({ from: '2030-02-30' })).rejects.toMatchObject({ code: 'history-period-invalid' });
  });

  it('pages the filtered list on the server: totals and pages are the filtered ones', async () => {
    const first = await history({ who: 'others' }, { count: 3, offset: 0 });
    const second = await history({ who: 'others' }, { count: 3, offset: 3 });
    expect([first.total, second.total]).toEqual([7, 7]);
    expect(summary([...first.entries, ...second.entries])).toEqual(
      summary((await history({ who: 'others' })).entries).slice(0, 6),
    );
  });

  it('counts a legal representative’s actions among the patient’s own', async () => {
    const [emilie, chloe] = [await demoPerson(ctx, 'emilie'), await demoPerson(ctx, 'chloe')];
    const parent = patientPrincipal(emilie, [chloe.id]);
    await at('2030-03-11T08:00:00Z', () =>
      searchDocuments(ctx, parent, { patientId: chloe.id, count: 20, offset: 0 }),
    );
    await at('2030-03-11T08:10:00Z', () =>
      searchDocuments(ctx, bernard, { patientId: chloe.id, count: 20, offset: 0 }).catch(() => undefined),
    );
    now = new Date('2030-03-20T12:00:00Z');
    const chloes = (filter: HistoryFilter) =>
      accessHistory(ctx, parent, chloe.id, { count: 50, offset: 0 }, { ...period, ...filter });
    const others = await chloes({ who: 'others' });
    expect(others.entries.map((e) => e.actorKind)).toEqual(['professional']);
    const mine = await chloes({ who: 'me' });
    expect(summary(mine.entries)).toEqual(['Vous|search']);
  });

  it('never shows a code as a label, even for a trace of an unknown action', async () => {
    await appendAudit(
      ctx.db,
      {
        patientId: jean.id,
        actor: martin,
        action: 'teleport' as never,
        accessMode: 'normal',
        outcome: 'success',
      },
      new Date('2030-03-13T09:00:00Z'),
    );
    const all = await history({ who: 'all' });
    expect(all.entries[0]!.actionLabel).toBe(UNKNOWN_ACTION_LABEL);
    for (const e of all.entries) expect(e.actionLabel).not.toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
