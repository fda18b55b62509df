import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { patientTables } from './patient-tables.ts';
import { purposeOf, systemPurposes } from './system-purposes.ts';
import { guardEntryPoints, patientTableAccesses, type TableAccess } from './table-access.ts';

const srcDir = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

const sources = sourceFiles(srcDir).map((file) => ({
  file: path.relative(srcDir, file).split(path.sep).join('/'),
  text: readFileSync(file, 'utf8'),
}));

/** Which files query which patient tables, and on which executor. */
const accesses: ReadonlyMap<string, readonly TableAccess[]> = new Map(
  sources
    .map(({ file, text }) => [file, patientTableAccesses(file, text)] as const)
    .filter(([, found]) => found.length > 0),
);

describe('the import rule: patient tables are reached through the guard', () => {
  it('finds the queries it judges (a scan that finds nothing proves nothing)', () => {
    const tables = new Set([...accesses.values()].flatMap((found) => found.map((a) => a.table)));
    expect(accesses.size).toBeGreaterThanOrEqual(25);
    expect(tables.size).toBeGreaterThanOrEqual(patientTables.length - 2);
  });

  it('runs every query outside the guard on a guarded or handed-in executor, or under a named system purpose', () => {
    const offending: string[] = [];
    for (const [file, found] of accesses) {
      if (file.startsWith('guard/') || purposeOf(file)) continue;
      for (const a of found.filter((x) => x.executor === 'opened-here'))
        offending.push(`${file}:${a.line} ${a.table} on ${a.receiver.replace(/\s+/g, '')}`);
    }
    expect(offending).toEqual([]);
  });

  it('names a reason for every system purpose, and each still covers a file that queries patient tables', () => {
    for (const purpose of systemPurposes) {
      expect(purpose.why.length).toBeGreaterThan(20);
      expect(
        [...accesses.keys()].some((file) => purposeOf(file) === purpose),
        `${purpose.name} covers no file that queries a patient table`,
      ).toBe(true);
    }
  });

  it('defines the entry points that decide access to a patient’s data only in the guard', () => {
    const outside = sources.flatMap(({ file, text }) =>
      file.startsWith('guard/')
        ? []
        : [...guardEntryPoints, 'decideExport']
            .filter((name) => new RegExp(`function ${name}\\b|const ${name}\\s*=`).test(text))
            .map((name) => `${file}: ${name}`),
    );
    expect(outside).toEqual([]);
  });
});

describe('the scan itself', () => {
  const scan = (text: string) => patientTableAccesses('sample.ts', text).map((a) => a.executor);

  it('tells a guarded transaction, a handed-in executor and one opened on the application database apart', () => {
    expect(
      scan(`async function f(ctx, p, id, now) {
        return ctx.db.transaction().execute(async (trx) => {
          const opened = await openRecord(trx, p, id, 'consult', 'read', now);
          return trx.selectFrom('documents').selectAll().execute();
        });
      }`),
    ).toEqual(['guarded']);
    expect(
      scan(`const { db } = await openMailbox(ctx, p, id, 'message-read'); db.selectFrom('mss_messages');`),
    ).toEqual(['guarded']);
    expect(
      scan(`export function find(db, id) { return db.selectFrom('documents as d').where('id', '=', id); }`),
    ).toEqual(['handed-in']);
    expect(
      scan(`async function f(ctx) { return ctx.db.selectFrom('profile_entries').selectAll().execute(); }`),
    ).toEqual(['opened-here']);
    expect(
      scan(`async function f(ctx) {
        return ctx.db.transaction().execute((trx) => trx.selectFrom('users').innerJoin('agenda_events', 'a', 'b'));
      }`),
    ).toEqual(['opened-here']);
    expect(scan('async function f(ctx) { await sql`delete from mss_messages`.execute(ctx.db); }')).toEqual([
      'opened-here',
    ]);
    expect(scan(`function f(db) { return db.selectFrom('accounts'); }`)).toEqual([]);
  });
});
