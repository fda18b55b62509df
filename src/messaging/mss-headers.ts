/**
 * `X-MSS-NIL` on every message the gateway emits (MSSanté client rules). Its value names the integration level of
 * the emitting client; Carnet declares itself as an MSSanté operator's patient mailbox, level 1 (doubtful: to be
 * checked against the current DST of the ANS).
 */
export const X_MSS_NIL = '1';

/** Headers of interest kept with each message: every `X-MSS-*`, names lower-cased. */
export function mssHeadersOf(headers: ReadonlyMap<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (!key.startsWith('x-mss-')) continue;
    kept[key] = (Array.isArray(value) ? value.map(String).join(', ') : String(value)).trim().slice(0, 200);
  }
  return kept;
}
