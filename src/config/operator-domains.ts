/**
 * The white list of MSSanté operator domains (`CARNET_SMTP_OPERATOR_DOMAINS`): in production only senders
 * whose MAIL FROM domain is listed, or a sub-domain of a listed one, may deliver to patients. Parsed here, with
 * the rest of the configuration; the SMTP gateway applies it.
 */

const domainPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Parses a comma-separated list; returns the lower-cased domains and the entries that are not domains. */
export function parseOperatorDomains(value: string | undefined): {
  domains: readonly string[];
  invalid: readonly string[];
} {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  return {
    domains: Object.freeze([...new Set(entries.filter((d) => domainPattern.test(d)))]),
    invalid: entries.filter((d) => !domainPattern.test(d)),
  };
}
