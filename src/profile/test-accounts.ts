import type { AppContext } from '../app/index.ts';
import type { PatientId, Ins } from '../identity/index.ts';
import { importInsured } from './import/index.ts';
import { jsonLines, type TestPerson } from './import/test-people.ts';
import { issueActivationCode } from './activation-codes.ts';
import { completeActivation, verifyActivation } from './activation.ts';
import { findInsuredByIns } from '../insured/index.ts';

/** Test-only: loads people into the registry; those given a login are activated with it and `password`. */
export async function loadPeople(
  ctx: AppContext,
  people: readonly (TestPerson & { login?: string })[],
  password: string,
): Promise<PatientId[]> {
  const report = await importInsured(ctx, jsonLines(people.map(({ login: _, ...p }) => p)), 'test.jsonl');
  if (report.rejected.length > 0) throw new Error(JSON.stringify(report.rejected));
  const ids: PatientId[] = [];
  for (const person of people) {
    const found = await findInsuredByIns(ctx.db, person.ins as Ins);
    if (!found) throw new Error(`not imported: ${person.ins}`);
    ids.push(found.id);
    if (!person.login) continue;
    const code = await issueActivationCode(ctx, found.id);
    const request = { nir: person.ins, vitaleSerial: person.vitale_serial, code, ip: '192.0.2.250' };
    const { ticket } = await verifyActivation(ctx, request);
    await completeActivation(ctx, { ticket, login: person.login, password });
  }
  return ids;
}
