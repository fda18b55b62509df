import { visibleDocumentsWhere } from '../access/document-filter.ts';
import type { PatientPrincipal } from '../access/principal.ts';
import { decideDocumentSearch } from '../access/record-policy.ts';
import type { AppContext } from '../app/context.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId, ProfessionCode } from '../identity/index.ts';
import { trace } from './audit-trace.ts';
import { newToWhere } from './openings.ts';
import { loadRecord } from './record-context.ts';
import { denialError, inRecordTransaction, refuse } from './refusal.ts';

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
 * professionals' first consultations of the last days. Decided like a search of the record and traced as one.
 */
export async function recordNews(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
): Promise<RecordNews> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - FIRST_ACCESS_NEWS_DAYS * 86_400_000).toISOString();
  return inRecordTransaction(ctx, async (trx) => {
    const record = await loadRecord(trx, patientId, principal, now);
    const decision = decideDocumentSearch(principal, record.context);
    if (!decision.allowed) {
      const input = trace(principal, patientId, 'search', 'denied', { detail: { refusal: decision.reason } });
      return refuse(trx, input, denialError(decision.reason), now);
    }
    const visible = visibleDocumentsWhere(principal, record.context);
    const fresh = newToWhere(principal.patientId);
    const counted = await trx
      .selectFrom('documents')
      .where('documents.patient_id', '=', patientId)
      .where(visible)
      .where(fresh)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const professionals = await trx
      .selectFrom('record_professionals')
      .select(['name', 'profession_code', 'first_access_at'])
      .where('patient_id', '=', patientId)
      .where('first_access_at', '>=', since)
      .orderBy('first_access_at', 'desc')
      .orderBy('national_id')
      .execute();
    const news: RecordNews = {
      newDocuments: Number(counted.n),
      firstAccesses: professionals.map((p) => ({
        name: p.name,
        professionCode: (p.profession_code ?? undefined) as ProfessionCode | undefined,
        at: p.first_access_at!,
      })),
    };
    const detail = {
      view: 'news',
      newDocuments: news.newDocuments,
      firstAccesses: news.firstAccesses.length,
    };
    await appendAudit(
      trx,
      trace(principal, patientId, 'search', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail,
      }),
      now,
    );
    return news;
  });
}
