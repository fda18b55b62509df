import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { findConnectableService, findService, seedDemoCatalogue } from '../../catalogue/index.ts';
import { type TestDatabase, testDialects } from '../../storage/test-databases.ts';
import { runCatalogue } from './catalogue.ts';

const service = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Service ${id}`,
  editor: { name: 'Éditeur' },
  summary: 'Résumé.',
  description: 'Description.',
  category: 'prevention',
  purposes: ['read-agenda'],
  dataExchanged: ['Rendez-vous'],
  links: { web: `https://${id}.example.fr` },
  ...extra,
});

describe.each(testDialects)('carnet catalogue on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemoCatalogue(ctx);
  });
  afterAll(() => database.destroy());

  async function carnet(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCatalogue(ctx, args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('references the services of a file and reports a bad entry without dropping the good ones', async () => {
    const file = path.join(database.dataDir, 'services.json');
    await writeFile(
      file,
      JSON.stringify([
        service('agenda-un', {
          oauth: { clientId: 'agenda-un', redirectUris: ['https://agenda-un.example.fr/cb'] },
        }),
        service('agenda-deux', { links: { web: 'http://agenda-deux.example.fr' } }),
      ]),
    );
    const result = await carnet('add', file);
    expect(result.code).toBe(1);
    expect(result.out).toBe('referenced: agenda-un (online)');
    expect(result.err).toMatch(/entry 2 \(agenda-deux\) \[links\.web\]: .*https/);
    expect((await findConnectableService(ctx.db, 'agenda-un'))?.id).toBe('agenda-un');
    expect(await findService(ctx.db, 'agenda-deux')).toBeUndefined();

    await writeFile(file, JSON.stringify(service('agenda-un', { name: 'Agenda Un' })));
    const again = await carnet('add', file);
    expect(again).toMatchObject({ code: 0, out: 'updated: agenda-un (online)' });
    expect((await findService(ctx.db, 'agenda-un'))?.name).toBe('Agenda Un');
  });

  it('refuses an unreadable or non-JSON file', async () => {
    expect((await carnet('add', path.join(database.dataDir, 'absent.json'))).code).toBe(1);
    const file = path.join(database.dataDir, 'broken.json');
    await writeFile(file, '{ not json');
    const broken = await carnet('add', file);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/invalid JSON/);
  });

  it('suspends, dereferences and reinstates, refusing a decision that does not apply', async () => {
    expect(await carnet('suspend', 'glucosuivi', '--reason', 'Incident de sécurité')).toMatchObject({
      code: 0,
      out: 'glucosuivi: suspended',
    });
    expect(await findConnectableService(ctx.db, 'glucosuivi-demo')).toBeUndefined();
    const twice = await carnet('suspend', 'glucosuivi');
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(/Seul un service en ligne/);
    expect((await carnet('dereference', 'glucosuivi')).out).toBe('glucosuivi: dereferenced');
    expect((await carnet('list')).out).not.toMatch(/^glucosuivi\t/m);
    expect((await carnet('list', '--all')).out).toMatch(/^glucosuivi\tdereferenced\tGlucoSuivi/m);
    expect((await carnet('reinstate', 'glucosuivi')).out).toBe('glucosuivi: online');
    expect((await findConnectableService(ctx.db, 'glucosuivi-demo'))?.id).toBe('glucosuivi');
    expect((await carnet('reinstate', 'inconnu')).code).toBe(1);

    const shown = await carnet('show', 'glucosuivi');
    expect(shown.out).toMatch(/client_id: glucosuivi-demo/);
    expect(shown.out).toMatch(/suspended\s+suspended\s+Incident de sécurité/);
    expect(
      shown.out
        .split('\n')
        .filter((l) => /^\d{4}-/.test(l))
        .map((l) => l.split(/\s+/)[1]),
    ).toEqual(['referenced', 'suspended', 'dereferenced', 'reinstated']);
  });

  it('lists as JSON for tools', async () => {
    const { code, out } = await carnet('list', '--json');
    expect(code).toBe(0);
    const services = JSON.parse(out) as Array<{ id: string; status: string }>;
    expect(services.some((s) => s.id === 'dossier-express')).toBe(false);
    expect(services.find((s) => s.id === 'sommeil-zen')?.status).toBe('suspended');
  });

  it('answers a missing argument or an unknown subcommand with the usage and exit code 2', async () => {
    for (const args of [[], ['add'], ['suspend'], ['frobnicate', 'x']]) {
      const result = await carnet(...args);
      expect(result.code).toBe(2);
      expect(result.err).toContain('Usage: carnet catalogue');
    }
  });
});
