import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { CarnetError, fixedClock } from '../shared/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import {
  GLUCOSUIVI_CLIENT_ID,
  browseCatalogue,
  catalogueFilterOf,
  decideServiceStatus,
  findConnectableService,
  findService,
  findServiceByClientId,
  listServiceEvents,
  listServices,
  referenceService,
  seedDemoCatalogue,
  serviceForPatient,
  serviceKeepsAccess,
} from './index.ts';

/** A valid operator's definition, varied by `extra`. */
const definition = (extra: Record<string, unknown> = {}) => ({
  id: 'cardio-test',
  name: 'Cardio Test',
  editor: { name: 'Éditeur Test' },
  summary: 'Suivi du cœur.',
  description: 'Un service pour les tests.',
  category: 'maladies-chroniques',
  purposes: ['read-measurements'],
  dataExchanged: ['Fréquence cardiaque'],
  links: { web: 'https://cardio.example.fr' },
  oauth: { clientId: 'cardio-test', redirectUris: ['https://cardio.example.fr/retour'] },
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<CarnetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CarnetError);
  return error as CarnetError;
}

describe.each(testDialects)('the catalogue of services on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  const clock = fixedClock('2026-03-02T09:00:00.000Z');

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock }));
    await seedDemoCatalogue(ctx, { glucoSuiviRedirectUris: ['http://127.0.0.1:9999/callback'] });
  });
  afterAll(() => database.destroy());

  it('seeds the demo catalogue once, with every status shown by the demo', async () => {
    expect(await seedDemoCatalogue(ctx)).toEqual({ added: 0 });
    const all = await listServices(ctx.db);
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(new Set(all.map((s) => s.status))).toEqual(
      new Set(['online', 'offline', 'suspended', 'dereferenced']),
    );
    const gluco = await findService(ctx.db, 'glucosuivi');
    expect(gluco).toMatchObject({
      name: 'GlucoSuivi',
      status: 'online',
      purposes: ['write-measurements', 'read-measurements'],
      oauth: { clientId: GLUCOSUIVI_CLIENT_ID, redirectUris: ['http://127.0.0.1:9999/callback'] },
    });
  });

  it('never shows a dereferenced service to patients, and shows suspended ones', async () => {
    const browsed = await browseCatalogue(ctx.db, {});
    const ids = browsed.map((s) => s.id);
    expect(ids).not.toContain('dossier-express');
    expect(ids).toContain('sommeil-zen');
    expect(browsed.find((s) => s.id === 'sommeil-zen')?.status).toBe('suspended');
    // French alphabetical order, accents ignored.
    expect(browsed.map((s) => s.name)).toEqual(
      [...browsed.map((s) => s.name)].sort((a, b) => a.localeCompare(b, 'fr')),
    );
    const gone = await failure(serviceForPatient(ctx.db, 'dossier-express'));
    expect(gone.status).toBe(410);
    expect((await failure(serviceForPatient(ctx.db, 'nope'))).status).toBe(404);
    expect((await serviceForPatient(ctx.db, 'sommeil-zen')).statusReason).toMatch(/hébergement/);
  });

  it('finds services by words without regard to accents or case, in the name, editor or data', async () => {
    const names = async (q: string) => (await browseCatalogue(ctx.db, { q })).map((s) => s.id);
    expect(await names('glycemie')).toEqual(['glucosuivi']);
    expect(await names('GLYCÉMIE')).toEqual(['glucosuivi']);
    expect(await names('cardionum')).toEqual(['tensio-carnet']);
    expect(await names('grossesse echographie')).toEqual(['neuf-mois-serein']);
    expect(await names('grossesse glycemie')).toEqual([]);
    // Wildcards typed by the patient are plain characters, not LIKE patterns.
    expect(await names('%')).toHaveLength((await browseCatalogue(ctx.db, {})).length);
    expect(await names('archivia')).toEqual([]);
  });

  it('filters by category and by purpose', async () => {
    const chronic = await browseCatalogue(ctx.db, { category: 'maladies-chroniques' });
    expect(chronic.map((s) => s.id).sort()).toEqual(['glucosuivi', 'tensio-carnet']);
    const writers = await browseCatalogue(ctx.db, { purpose: 'write-agenda' });
    expect(writers.map((s) => s.id).sort()).toEqual(['neuf-mois-serein', 'rdv-sante-proche']);
    const both = await browseCatalogue(ctx.db, { purpose: 'write-measurements', q: 'pas' });
    expect(both.map((s) => s.id)).toEqual(['pas-a-pas']);
    expect(() => catalogueFilterOf({ category: 'cosmetique' })).toThrow(/catégorie/);
    expect(() => catalogueFilterOf({ purpose: 'sell-data' })).toThrow(/finalité/);
    expect(catalogueFilterOf({ q: 'x', category: '', purpose: '' })).toEqual({
      q: 'x',
      category: undefined,
      purpose: undefined,
    });
  });

  it('references a new service, then updates its description without touching its status', async () => {
    const first = await referenceService(ctx, definition());
    expect(first.created).toBe(true);
    expect(first.service).toMatchObject({
      status: 'online',
      referencedAt: '2026-03-02T09:00:00.000Z',
      oauth: { scopes: ['launch/patient', 'patient/Observation.read'] },
    });
    clock.advance(60_000);
    await decideServiceStatus(ctx, 'cardio-test', 'suspend', 'Contrôle');
    clock.advance(60_000);
    const second = await referenceService(ctx, definition({ name: 'Cardio Test 2', status: 'online' }));
    expect(second.created).toBe(false);
    expect(second.service).toMatchObject({
      name: 'Cardio Test 2',
      status: 'suspended',
      referencedAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:02:00.000Z',
    });
    expect((await listServiceEvents(ctx.db, 'cardio-test')).map((e) => e.action)).toEqual([
      'referenced',
      'suspended',
      'updated',
    ]);
  });

  it('refuses a client id already held by another service, and an invalid definition', async () => {
    const taken = await failure(
      referenceService(
        ctx,
        definition({
          id: 'copie',
          oauth: { clientId: GLUCOSUIVI_CLIENT_ID, redirectUris: ['https://copie.example.fr/cb'] },
        }),
      ),
    );
    expect(taken.code).toBe('catalogue-client-id-taken');
    expect(await findService(ctx.db, 'copie')).toBeUndefined();
    const insecure = await failure(
      referenceService(ctx, definition({ id: 'x', links: { web: 'http://x.example.fr' } })),
    );
    expect(insecure.kind).toBe('invalid');
    expect(await findService(ctx.db, 'x')).toBeUndefined();
  });

  it('applies suspension, dereferencing and reinstatement only from the statuses they apply to', async () => {
    const id = 'tensio-carnet';
    expect((await decideServiceStatus(ctx, id, 'offline')).status).toBe('offline');
    expect((await failure(decideServiceStatus(ctx, id, 'offline'))).code).toBe('catalogue-status-unchanged');
    expect((await decideServiceStatus(ctx, id, 'suspend', 'Faille signalée')).status).toBe('suspended');
    expect((await failure(decideServiceStatus(ctx, id, 'suspend'))).status).toBe(409);
    const back = await decideServiceStatus(ctx, id, 'reinstate');
    expect(back).toMatchObject({ status: 'online', statusReason: undefined });
    expect((await failure(decideServiceStatus(ctx, id, 'reinstate'))).status).toBe(409);
    expect((await decideServiceStatus(ctx, id, 'dereference', 'Fin')).status).toBe('dereferenced');
    expect((await failure(decideServiceStatus(ctx, id, 'dereference'))).status).toBe(409);
    expect((await failure(decideServiceStatus(ctx, 'inconnu', 'suspend'))).status).toBe(404);
    expect((await browseCatalogue(ctx.db, {})).map((s) => s.id)).not.toContain(id);
    await decideServiceStatus(ctx, id, 'reinstate');
    expect((await browseCatalogue(ctx.db, {})).map((s) => s.id)).toContain(id);
  });

  it('offers a service for connection only while online; access survives offline, not suspension', async () => {
    const client = 'rdv-sante-proche';
    expect((await findConnectableService(ctx.db, client))?.id).toBe('rdv-sante-proche');
    expect(await findConnectableService(ctx.db, 'unknown-client')).toBeUndefined();
    expect(await serviceKeepsAccess(ctx.db, 'unknown-client')).toBe(false);

    await decideServiceStatus(ctx, 'rdv-sante-proche', 'offline');
    expect(await findConnectableService(ctx.db, client)).toBeUndefined();
    expect(await serviceKeepsAccess(ctx.db, client)).toBe(true);

    await decideServiceStatus(ctx, 'rdv-sante-proche', 'suspend');
    expect(await findConnectableService(ctx.db, client)).toBeUndefined();
    expect(await serviceKeepsAccess(ctx.db, client)).toBe(false);
    expect((await findServiceByClientId(ctx.db, client))?.status).toBe('suspended');

    await decideServiceStatus(ctx, 'rdv-sante-proche', 'dereference');
    expect(await serviceKeepsAccess(ctx.db, client)).toBe(false);

    await decideServiceStatus(ctx, 'rdv-sante-proche', 'reinstate');
    expect((await findConnectableService(ctx.db, client))?.oauth.redirectUris).toEqual([
      'https://www.rdv-sante-proche.example.fr/connexion/retour',
    ]);
    expect(await serviceKeepsAccess(ctx.db, client)).toBe(true);
  });

  it('lets only one of two concurrent conflicting decisions through', async () => {
    const results = await Promise.allSettled([
      decideServiceStatus(ctx, 'glucosuivi', 'suspend'),
      decideServiceStatus(ctx, 'glucosuivi', 'suspend'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      (await listServiceEvents(ctx.db, 'glucosuivi')).filter((e) => e.action === 'suspended'),
    ).toHaveLength(1);
    await decideServiceStatus(ctx, 'glucosuivi', 'reinstate');
  });
});
