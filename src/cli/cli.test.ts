import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'fhir-kit-client';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { seedDemo, demoPatients } from '../demo/index.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import { productionEnv } from '../config/test-env.ts';
import { bundleCarnetCommand, type ChildBundle } from '../shared/testing/child-bundle.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/carnet.js');

/**
 * The carnet command as one bundle of the same sources (src/shared/testing/child-bundle.ts): it starts without tsx
 * loading each file. bin/carnet.js itself runs in the unknown-command test and in the production refusals below.
 */
let bundled: ChildBundle;
beforeAll(async () => {
  bundled = await bundleCarnetCommand();
});
afterAll(() => bundled?.remove());

/** Runs the real `carnet` command against a test server's data folder and database. */
async function carnet(
  server: TestCarnet,
  args: string[],
  env: Record<string, string> = {},
  command: 'bundle' | 'bin/carnet.js' = 'bundle',
) {
  return run(process.execPath, [command === 'bundle' ? bundled.file : bin, ...args], {
    env: {
      PATH: process.env.PATH,
      CARNET_DATA_DIR: server.config.dataDir,
      CARNET_BASE_URL: server.config.baseUrl,
      ...(server.config.databaseUrl ? { DATABASE_URL: server.config.databaseUrl } : {}),
      ...env,
    },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe.each(testDialects)('the carnet command on %s', (dialect) => {
  let server: TestCarnet;
  beforeAll(async () => {
    server = await startTestCarnet(dialect, { beforeListen: (ctx) => seedDemo(ctx).then(() => undefined) });
  });
  afterAll(() => server.stop());

  it('gives a token with which a third-party FHIR client finds a demo patient by INS', async () => {
    const { stdout, code } = await carnet(server, ['dev-token', '--rpps', '10001000115']);
    expect(code).toBe(0);
    const client = new Client({
      baseUrl: `${server.config.baseUrl}/fhir`,
      customHeaders: { Authorization: `Bearer ${stdout.trim()}` },
    });
    const bundle = (await client.search({
      resourceType: 'Patient',
      searchParams: { identifier: 'urn:oid:1.2.250.1.213.1.4.8|168047505611243' },
    })) as unknown as Bundle<Patient>;
    expect(bundle.total).toBe(1);
    expect(bundle.entry?.[0]?.resource?.name?.[0]?.family).toBe('DUPONT');
  });

  it('refuses a token for an RPPS with a wrong key, and any token when a real provider is configured', async () => {
    const badKey = await carnet(server, ['dev-token', '--rpps', '10001000116']);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/RPPS/i);
    const production = await carnet(server, ['dev-token', '--rpps', '10001000115'], {
      CARNET_OIDC_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
      CARNET_OIDC_CLIENT_ID: 'carnet',
      CARNET_OIDC_CLIENT_SECRET: 'not-a-real-secret',
    });
    expect(production.code).toBe(1);
    expect(production.stdout).toBe('');
  });

  it('lists the demo people as JSON with their state in the database', async () => {
    const { stdout, code } = await carnet(server, ['demo-people', '--json']);
    expect(code).toBe(0);
    const people = JSON.parse(stdout) as {
      patients: Array<{ ins: string; state: string; birthDate: string }>;
      professionals: Array<{ rpps: string; professionCode: string }>;
    };
    expect(people.patients).toHaveLength(demoPatients.length);
    expect(people.patients.find((p) => p.ins === '164053818509916')?.state).toBe('opposed');
    expect(new Set(people.professionals.map((p) => p.professionCode))).toEqual(
      new Set(['10', '21', '40', '50', '60', '70', '80']),
    );
  });

  it('imports insured people from a file and reports the bad lines without stopping', async () => {
    const file = path.join(server.config.dataDir, 'insured.csv');
    writeFileSync(
      file,
      [
        'ins;birth_name;first_names;birth_date;sex;email;vitale_serial',
        '185057505612388;DURAND;Paul;1985-05-02;M;paul.durand@mail.example;85050212',
        '185057505612387;FAUX;Clé;1985-05-02;M;faux@mail.example;85050213',
      ].join('\n'),
    );
    const { stdout, code } = await carnet(server, ['import-insured', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/line 3/i);
    const paul = await server.ctx.db
      .selectFrom('patients')
      .select('profile_state')
      .where('ins', '=', '185057505612388')
      .executeTakeFirst();
    expect(paul?.profile_state).toBe('created');
  });

  it('prints the usage for a command’s --help instead of running it', async () => {
    for (const args of [
      ['serve', '--help'],
      ['import-insured', '-h'],
    ]) {
      const result = await carnet(server, args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: carnet');
    }
  });

  it('answers an unknown command with the usage and exit code 2', async () => {
    const result = await carnet(server, ['frobnicate'], {}, 'bin/carnet.js');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: carnet');
  });
});

describe('the demo commands in production', () => {
  // Security review regression: fails on 027241f, before the fix.
  it('refuse to run, and touch no database', async () => {
    for (const args of [['seed-demo'], ['serve', '--demo']]) {
      const env = productionEnv();
      const result = await run(process.execPath, [bin, ...args], {
        env: { PATH: process.env.PATH, ...env, PORT: '0', CARNET_LOG_LEVEL: 'silent' },
        timeout: 30_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `carnet ${args[0]}: ${args.join(' ')} is refused in production (CARNET_ENV=production)`,
      );
      // Refused before the database was even opened.
      expect(existsSync(path.join(env.CARNET_DATA_DIR!, 'carnet.db'))).toBe(false);
      expect(readdirSync(env.CARNET_DATA_DIR!)).toEqual([]);
    }
  });
});
