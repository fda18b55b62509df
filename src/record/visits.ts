/**
 * A professional's visit to a record: their accesses to it with less than an hour between two of them (a
 * consultation, and the letter written just after it). « Nouveau depuis ma dernière visite » means deposited after
 * the last access of the visit before the current one.
 */
export const VISIT_GAP_MS = 60 * 60 * 1000;

/**
 * The end of the visit before the one an access at `now` belongs to: the last access when it is more than an hour
 * old (this access starts a new visit), otherwise the one already kept. Undefined before a second visit.
 */
export function previousVisitAt(
  row: { readonly last_access_at: string | null; readonly previous_visit_at: string | null } | undefined,
  now: Date,
): string | undefined {
  if (!row) return undefined;
  if (row.last_access_at !== null && now.getTime() - Date.parse(row.last_access_at) > VISIT_GAP_MS)
    return row.last_access_at;
  return row.previous_visit_at ?? undefined;
}
