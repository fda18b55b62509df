import { parseIns, type Ins, type PatientId } from '../identity/index.ts';
import type { ProfileState } from '../storage/index.ts';
import type { RcptDecision } from './types.ts';

/** The patient's MSSanté address, `<INS>@<domain>` (seed: "matricule INS du patient@patient.mssante.fr"). */
export function patientAddress(ins: Ins, domain: string): string {
  return `${ins}@${domain.toLowerCase()}`;
}

/** `local@domain` of an address, without angle brackets or display name; undefined when it has no `@`. */
export function splitAddress(address: string): { local: string; domain: string } | undefined {
  // `Name <a@b>` → `a@b`: the last `<` and the `>` after it, found by index (linear, unlike a backtracking pattern).
  const trimmed = address.trim();
  const open = trimmed.lastIndexOf('<');
  const close = open === -1 ? -1 : trimmed.indexOf('>', open);
  const bare = (close === -1 ? trimmed : trimmed.slice(open + 1, close)).trim();
  const at = bare.lastIndexOf('@');
  if (at <= 0 || at === bare.length - 1) return undefined;
  return { local: bare.slice(0, at), domain: bare.slice(at + 1).toLowerCase() };
}

/** The bare address, domain lower-cased (local parts are case-sensitive in general, but compared here as typed). */
export function normalizeAddress(address: string): string {
  const parts = splitAddress(address);
  return parts ? `${parts.local}@${parts.domain}` : address.trim();
}

export function isPatientDomainAddress(address: string, patientDomain: string): boolean {
  return splitAddress(address)?.domain === patientDomain.toLowerCase();
}

export type RecipientAddress =
  | { readonly ok: true; readonly ins: Ins }
  | { readonly ok: false; readonly refusal: Extract<RcptDecision, { accept: false }> };

const refuse = (smtpCode: 550 | 553, enhanced: string, message: string) =>
  ({ ok: false, refusal: { accept: false, smtpCode, enhanced, message } }) as const;

/** Fifteen characters, digits with Corsica's 2A/2B: no dots, dashes or spaces in an address. */
const INS_LOCAL_PART = /^[1-478]\d{4}(\d{2}|2[AB])\d{8}$/i;

/** Recipient address → the INS it names, or the RCPT refusal (the address alone decides this). */
export function parseRecipient(address: string, patientDomain: string): RecipientAddress {
  const parts = splitAddress(address);
  if (!parts) return refuse(553, '5.1.3', 'Adresse invalide / invalid address');
  if (parts.domain !== patientDomain.toLowerCase()) {
    return refuse(550, '5.1.1', 'Domaine inconnu, relais refusé / unknown domain, relay not permitted');
  }
  if (!INS_LOCAL_PART.test(parts.local)) {
    return refuse(
      550,
      '5.1.1',
      'Adresse inconnue : ce n’est pas un matricule INS / unknown address: not an INS',
    );
  }
  const parsed = parseIns(parts.local);
  if (!parsed.ok) {
    return refuse(
      550,
      '5.1.1',
      parsed.problem === 'key'
        ? 'Adresse inconnue : clé du matricule INS invalide / unknown address: invalid INS key'
        : 'Adresse inconnue : matricule INS invalide / unknown address: invalid INS',
    );
  }
  return { ok: true, ins: parts.local.toUpperCase() as Ins };
}

/**
 * What the profile of the named patient means for delivery. An unknown patient is refused at RCPT (550). An
 * opposed or closed profile is accepted and answered by a delivery status notification to the sender, as the
 * Assurance Maladie's brochure promises the professional ("vous recevrez un e-mail automatique vous indiquant que
 * votre message n'a pas pu être distribué"), whatever their own operator does with a refusal.
 */
export function decideForProfile(
  profile: { readonly id: PatientId; readonly state: ProfileState } | undefined,
): RcptDecision {
  if (!profile) {
    return {
      accept: false,
      smtpCode: 550,
      enhanced: '5.1.1',
      message: 'Patient inconnu / unknown recipient',
    };
  }
  switch (profile.state) {
    case 'created':
    case 'activated':
      return { accept: true, patientId: profile.id, state: profile.state };
    case 'opposed':
    case 'closed':
      return { accept: 'defer-dsn', reason: profile.state };
  }
}

/**
 * A patient address never opens a conversation (seed: "Un patient peut uniquement vous répondre"); the
 * patients' own replies leave through Carnet, so a patient-domain envelope sender arriving here is refused.
 */
export function checkEnvelopeSender(envelopeFrom: string, patientDomain: string): RcptDecision | undefined {
  if (!isPatientDomainAddress(envelopeFrom, patientDomain)) return undefined;
  return {
    accept: false,
    smtpCode: 550,
    enhanced: '5.7.1',
    message: 'Un patient ne peut pas ouvrir de conversation / a patient address cannot open a conversation',
  };
}

/** The reason a recipient accepted at RCPT became undeliverable at DATA (its profile changed meanwhile). */
export function deferredReason(
  state: ProfileState | undefined,
): 'opposed' | 'closed' | 'unknown' | undefined {
  if (state === undefined) return 'unknown';
  return state === 'opposed' || state === 'closed' ? state : undefined;
}
