import { visibleDocumentsWhere, type PatientPrincipal } from '../access/index.ts';
import type { PatientId, ProfessionCode } from '../identity/index.ts';
import type { Executor } from '../storage/index.ts';
import { newToWhere } from './openings.ts';
import type { LoadedRecord } from '../guard/index.ts';

/** How far back a professional's first consultation of the record is still news on the home. */
export const FIRST_ACCESS_NEWS_DAYS = 30;

export interface RecordNews {
  /** Documents the signed-in person may see and has not opened yet (« Nouveau »). */
  readonly newDocuments: number;
  /** Professionals who consulted the record for the first time recently, most recent first. */
  readonly firstAccesses: readonly {
    readonly name: string;
    readonly professionCode: ProfessionCode | undefined;
    readonly at: string;
  }[];
}

/**
 * What is new in the record for the patient (or a representative): the documents not opened yet and the
 * professionals' first consultations of the last days. The caller has loaded the record, asked the policy
 * (`decideDocumentSearch`) and traces the read: the documents counted are those the same policy lets them see.
 */
export async function readRecordNews(
  db: Executor,
  principal: PatientPrincipal,
  record: LoadedRecord,
  now: Date,
): Promise<RecordNews> {
  const patientId: PatientId = record.context.patientId;
  const since = new Date(now.getTime() - FIRST_ACCESS_NEWS_DAYS * 86_400_000).toISOString();
  const counted = await db
    .selectFrom('documents')
    .where('documents.patient_id', '=', patientId)
    .where(visibleDocumentsWhere(principal, record.context))
    .where(newToWhere(principal.patientId))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const professionals = await db
    .selectFrom('record_professionals')
    .select(['name', 'profession_code', 'first_access_at'])
    .where('patient_id', '=', patientId)
    .where('first_access_at', '>=', since)
    .orderBy('first_access_at', 'desc')
    .orderBy('national_id')
    .execute();
  return {
    newDocuments: Number(counted.n),
    firstAccesses: professionals.map((p) => ({
      name: p.name,
      professionCode: (p.profession_code ?? undefined) as ProfessionCode | undefined,
      at: p.first_access_at!,
    })),
  };
}
