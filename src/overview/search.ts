import { decide, type PatientPrincipal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { appendAudit } from '../audit/index.ts';
import { inRecordTransaction, openDocumentSearch, openProfile, Refusal, trace } from '../guard/index.ts';
import type { PatientId } from '../identity/index.ts';
import {
  profileSections,
  searchProfile,
  type ProfileHit,
  type ProfileSection,
} from '../medical-profile/index.ts';
import { searchMessages, type MessageHit } from '../messaging/index.ts';
import { documentsPage, newDocumentsFor, queryWords, type RecordDocument } from '../record/index.ts';

/** What one search of the patient's space found, each kind counted in full and listed up to the limit asked. */
export interface SpaceSearch {
  /** The searched words as compared (lower case, no accents), for highlighting. */
  readonly words: readonly string[];
  /** `newIds`: which of `items` are « Nouveau » to the reader. */
  readonly documents: {
    readonly total: number;
    readonly items: readonly RecordDocument[];
    readonly newIds: ReadonlySet<string>;
  };
  /** Null when the profile has no mailbox open (not activated). */
  readonly messages: { readonly total: number; readonly items: readonly MessageHit[] } | null;
  readonly profile: { readonly total: number; readonly items: readonly ProfileHit[] };
}

/**
 * The patient's search across their space (or a represented child's): the record's documents through the list's
 * own policy predicate and blind index (`documentsPage`), the mailbox's messages and the medical profile's entries
 * opened in memory, each under the guard that opens its own page. The same words rule everywhere: every searched
 * word of two letters or more starts a word, case and accents ignored. Traced once, as a search of the record.
 */
export async function searchPatientSpace(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  text: string,
  limit: number,
): Promise<SpaceSearch> {
  const now = ctx.clock.now();
  const words = queryWords(text);
  return inRecordTransaction(ctx, async (trx) => {
    // Only counts in the trail, never the searched words: « VIH », « grossesse » are health data themselves.
    const opened = await openDocumentSearch(trx, principal, patientId, 'search', now, {
      targetType: 'Patient',
      targetId: patientId,
      detail: { view: 'space-search' },
    });
    if (opened instanceof Refusal) return opened;
    const documents =
      words.length === 0
        ? { total: 0, rows: [] }
        : await documentsPage(
            trx,
            ctx.config,
            principal,
            opened.record,
            { patientId, browse: { text }, count: limit, offset: 0 },
            undefined,
          );
    const mailboxOpen = decide(principal, {
      type: 'mailbox.open',
      patientId,
      profileState: opened.record.person.profileState,
    }).allowed;
    const messages = mailboxOpen ? await searchMessages(ctx.config, trx, patientId, words) : null;
    const profile = await openProfile(
      trx,
      principal,
      patientId,
      { areas: profileSections, action: 'read', audit: 'search', targetType: 'Patient', partial: true },
      now,
    );
    if (profile instanceof Refusal) return profile;
    const entries = await searchProfile(
      ctx.config,
      trx,
      patientId,
      profile.allowed as ProfileSection[],
      words,
    );
    const newIds = await newDocumentsFor(trx, principal, patientId, documents.rows);
    await appendAudit(
      trx,
      trace(principal, patientId, 'search', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail: {
          view: 'space-search',
          documents: documents.total,
          ...(messages ? { messages: messages.length } : {}),
          profileEntries: entries.length,
        },
      }),
      now,
    );
    return {
      words,
      documents: { total: documents.total, items: documents.rows, newIds },
      messages: messages ? { total: messages.length, items: messages.slice(0, limit) } : null,
      profile: { total: entries.length, items: entries.slice(0, limit) },
    };
  });
}
