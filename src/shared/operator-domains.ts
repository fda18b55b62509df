/*
 * Which senders may deliver to patients: the operator domains (`CARNET_SMTP_OPERATOR_DOMAINS`, parsed with the
 * configuration) and the names of an operator's client certificate.
 */

/** True when the address's domain is a listed domain or one of its sub-domains (`x@aphp.mssante.fr` under `mssante.fr`). */
export function isOperatorAddress(domains: readonly string[], address: string): boolean {
  const domain = domainOf(address);
  if (domain === undefined) return false;
  return domains.some((listed) => domain === listed || domain.endsWith(`.${listed}`));
}

/** `x@Dom.Example.` → `dom.example`; undefined without a domain. */
function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0) return undefined;
  return address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
}

/** What Node's `getPeerCertificate()` gives of a certificate's names. */
export interface PeerCertificateNames {
  readonly subject?: { readonly CN?: string | readonly string[] } | null;
  readonly subjectaltname?: string;
}

/**
 * The DNS names a client certificate stands for: its DNS subjectAltNames, or its subject CN when it has none
 * (RFC 6125 §6.4.4), lower-cased.
 */
export function certificateDomains(cert: PeerCertificateNames): string[] {
  const dns = (cert.subjectaltname ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
  if (dns.length > 0) return dns;
  const cn = cert.subject?.CN;
  return (cn === undefined ? [] : typeof cn === 'string' ? [cn] : [...cn]).map((n) => n.toLowerCase());
}

/**
 * True when the envelope sender's domain is one the operator's certificate names, or a sub-domain of one
 * (`*.x` names the sub-domains of `x`): an operator sends only for its own domains.
 */
export function isCertifiedSender(certified: readonly string[], address: string): boolean {
  const domain = domainOf(address);
  if (domain === undefined) return false;
  return certified.some((name) => {
    const base = name.startsWith('*.') ? name.slice(2) : name;
    return (domain === base && base === name) || domain.endsWith(`.${base}`);
  });
}
