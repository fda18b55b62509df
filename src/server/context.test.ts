import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installHabilitationMatrix, decideDocument } from '../access/index.ts';
import { doc, professional, record } from '../access/record-policy.fixtures.ts';
import { loadConfig } from '../config/index.ts';
import { systemClock } from '../shared/index.ts';
import { createAppContext } from './context.ts';

const base = { version: 't', source: 'test', defaults: { basis: 'default', allow: ['A'] } };

/** A matrix file in which doctors (profession 10) may not read consultation reports (11488-4). */
function officialMatrixFile(): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carnet-matrix-'));
  const file = path.join(dir, 'official.json');
  writeFileSync(
    file,
    JSON.stringify({ ...base, rules: [{ profession: '10', basis: 'arrêté', deny: ['11488-4'] }] }),
  );
  return { dir, file };
}

const contextOf = (env: Record<string, string>) =>
  createAppContext({
    config: loadConfig(env),
    db: undefined as never,
    dialect: 'sqlite',
    clock: systemClock,
  });

const readsReport = () => decideDocument(professional('10'), record(), doc({ typeCode: '11488-4' }), 'read');

describe('the habilitation matrix of a process', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    installHabilitationMatrix(undefined);
  });

  it('is replaced without code through CARNET_HABILITATION_MATRIX', () => {
    const { dir, file } = officialMatrixFile();
    contextOf({
      CARNET_DATA_DIR: dir,
      CARNET_BASE_URL: 'http://carnet.test',
      CARNET_HABILITATION_MATRIX: file,
    });
    expect(readsReport()).toEqual({ allowed: false, reason: 'habilitation' });
    // A context built from a configuration without it goes back to the bundled matrix.
    contextOf({ CARNET_DATA_DIR: dir, CARNET_BASE_URL: 'http://carnet.test' });
    expect(readsReport()).toMatchObject({ allowed: true });
  });

  it('comes from the configuration only: the variable alone, read by no configuration, changes nothing', async () => {
    const { file } = officialMatrixFile();
    vi.stubEnv('CARNET_HABILITATION_MATRIX', file);
    vi.resetModules();
    const policy = await import('../access/index.ts');
    const fixtures = await import('../access/record-policy.fixtures.ts');
    const decision = policy.decideDocument(
      fixtures.professional('10'),
      fixtures.record(),
      fixtures.doc({ typeCode: '11488-4' }),
      'read',
    );
    expect(decision).toMatchObject({ allowed: true });
  });

  it('fails when the context is built if the configured file is invalid', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carnet-matrix-'));
    writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    expect(() =>
      contextOf({
        CARNET_DATA_DIR: dir,
        CARNET_BASE_URL: 'http://carnet.test',
        CARNET_HABILITATION_MATRIX: path.join(dir, 'bad.json'),
      }),
    ).toThrow(/bad\.json/);
  });
});
