/**
 * The white list of MSSanté operator domains (`CARNET_SMTP_OPERATOR_DOMAINS`): in production only senders
 * whose MAIL FROM domain is listed, or a sub-domain of a listed one, may deliver to patients.
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

/** True when the address's domain is a listed domain or one of its sub-domains (`x@aphp.mssante.fr` under `mssante.fr`). */
export function isOperatorAddress(domains: readonly string[], address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  return domains.some((listed) => domain === listed || domain.endsWith(`.${listed}`));
}
