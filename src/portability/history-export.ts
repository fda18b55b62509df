import type { Principal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import {
  accessHistory,
  accessModeLabels,
  checkHistoryPeriod,
  historyKindLabels,
  labelOr,
  outcomeLabels,
  type HistoryActor,
  type HistoryFilter,
} from '../record/index.ts';
import { frenchDate } from './entry-text.ts';
import { openExport, traceExport } from '../guard/index.ts';
import { renderHistoryPdf } from './history-pdf.ts';
import type { ExportedFile } from './synthesis.ts';

/** The most entries one PDF prints (the newest ones; the PDF says how many matched). */
export const HISTORY_PDF_MAX_ENTRIES = 5000;

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The filters in force, in the patient's words, printed at the top of the PDF. */
export function historyFilterSummary(filter: HistoryFilter, actors: readonly HistoryActor[]): string[] {
  const who = filter.who ?? 'all';
  const named = (kind: HistoryActor['kind'], id: string) =>
    actors.find((a) => a.kind === kind && a.id === id)?.name ??
    (kind === 'app' ? 'un service connecté' : 'un professionnel de santé');
  const whoText =
    who === 'all'
      ? 'tout le monde, vous compris'
      : who === 'others'
        ? 'les professionnels, services connectés et organismes (sans vos propres actions)'
        : who === 'me'
          ? 'vous-même et vos représentants légaux'
          : who === 'professionals'
            ? 'les professionnels de santé'
            : who === 'apps'
              ? 'les services connectés'
              : 'professional' in who
                ? named('professional', who.professional)
                : named('app', who.app);
  const lines = [`Qui : ${whoText}`];
  lines.push(`Type d’action : ${filter.kind ? historyKindLabels[filter.kind] : 'toutes'}`);
  if (filter.from && filter.to)
    lines.push(`Période : du ${frenchDate(filter.from)} au ${frenchDate(filter.to)}`);
  else if (filter.from) lines.push(`Période : depuis le ${frenchDate(filter.from)}`);
  else if (filter.to) lines.push(`Période : jusqu’au ${frenchDate(filter.to)}`);
  else lines.push('Période : depuis l’ouverture du dossier');
  return lines;
}

/**
 * The access history as filtered on screen, as a PDF: for the patient or a minor's representative (the export
 * policy), read through the history's own policy and trace, and traced as an export like the other downloads.
 */
export async function accessHistoryPdf(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  filter: HistoryFilter,
): Promise<ExportedFile & { pdf: Uint8Array }> {
  checkHistoryPeriod(filter);
  const { person } = await openExport(ctx, principal, patientId, 'history-pdf');
  const history = await accessHistory(
    ctx,
    principal,
    patientId,
    { count: HISTORY_PDF_MAX_ENTRIES, offset: 0 },
    filter,
  );
  const generatedAt = ctx.clock.now();
  const pdf = await renderHistoryPdf({
    person,
    generatedAt,
    filters: historyFilterSummary(filter, history.actors),
    total: history.total,
    entries: history.entries.map((e) => ({
      at: e.at,
      actorName: e.actorName,
      actorRole: e.actorRole,
      actionLabel: e.actionLabel,
      documentTitle: e.documentTitle,
      accessModeLabel: labelOr(accessModeLabels, e.accessMode, 'Accès'),
      outcomeLabel: labelOr(outcomeLabels, e.outcome, 'Résultat inconnu'),
      reason: e.reason,
      firstAccess: e.firstAccess,
    })),
  });
  await traceExport(ctx, principal, patientId, 'history-pdf', {
    entries: history.entries.length,
    bytes: pdf.length,
  });
  return {
    fileName: `historique-des-acces-${day(generatedAt)}.pdf`,
    contentType: 'application/pdf',
    pdf,
  };
}
