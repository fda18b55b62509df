/**
 * Who may read and write a patient's agenda. Pure, like the record policy it builds on (docs/access.md, "Agenda"):
 * the patient and a minor's representatives do everything; a professional's software may push an appointment to an
 * open record that has not blocked them (as it may deposit a document) but reads the agenda back only with the
 * rights of a consultation (consent, administrator, emergency). A connected app does what its purposes say.
 */
import { appScopeAllows, appScopeReads } from './policy.ts';
import type { Principal } from './principal.ts';
import { actsForRecord, appMay, decideRecord, type Decision, type RecordContext } from './record-policy.ts';

export type AgendaAction = 'read' | 'push' | 'manage';

export function decideAgenda(principal: Principal, record: RecordContext, action: AgendaAction): Decision {
  switch (principal.kind) {
    case 'patient': {
      const decision = decideRecord(principal, record, 'consult');
      if (!decision.allowed) return decision;
      return actsForRecord(principal, record) ? decision : { allowed: false, reason: 'not-own-record' };
    }
    case 'professional':
      if (action === 'push') return decideRecord(principal, record, 'deposit');
      if (action === 'read') return decideRecord(principal, record, 'consult');
      // Editing or deleting is the patient's own business.
      return { allowed: false, reason: 'role' };
    case 'app': {
      // A connected service, within the purposes the patient granted it ("read-agenda", "write-agenda").
      const decision = decideRecord(principal, record, 'consult');
      if (!decision.allowed) return decision;
      // Within a purpose, only the interactions its granted scopes name (`Appointment.c` pushes, never reads).
      if (action === 'read')
        return appMay(principal, 'read-agenda') && appScopeReads(principal, 'Appointment')
          ? decision
          : { allowed: false, reason: 'scope' };
      if (action === 'push')
        return appMay(principal, 'write-agenda') && appScopeAllows(principal, 'Appointment', 'c')
          ? decision
          : { allowed: false, reason: 'scope' };
      return { allowed: false, reason: 'role' };
    }
    case 'insurer':
    case 'auditor':
      return { allowed: false, reason: 'role' };
  }
}

/** Cancelled events stay in the patient's own view; anyone else reads only what is booked. */
export function agendaShowsCancelled(principal: Principal): boolean {
  return principal.kind === 'patient';
}

/**
 * Adding to the agenda: a professional's software or a connected app pushes (appointments only), the patient
 * (or a representative) manages their own, reminders included.
 */
export function agendaWriteOf(principal: Principal): { action: AgendaAction; remindersAllowed: boolean } {
  const pushed = principal.kind === 'professional' || principal.kind === 'app';
  return { action: pushed ? 'push' : 'manage', remindersAllowed: !pushed };
}

/** Who pushed an agenda event, as stored with it: a professional's national id, or `app:<serviceId>`. */
export function agendaAuthorOf(principal: Principal): string | null {
  if (principal.kind === 'professional') return principal.nationalId;
  if (principal.kind === 'app') return `app:${principal.serviceId}`;
  return null;
}

/**
 * Rescheduling or cancelling a pushed appointment through the API: only the professional or the app that pushed
 * it, and only while it may still push to this record (not blocked, record open, purpose still granted).
 */
export function decideAppointmentChange(
  principal: Principal,
  record: RecordContext,
  authorId: string | null,
): Decision {
  const author = agendaAuthorOf(principal);
  if (author === null) return { allowed: false, reason: 'role' };
  if (authorId !== author) return { allowed: false, reason: 'not-author' };
  // Rescheduling or cancelling is an update: an app granted `Appointment.c` only pushes new appointments.
  if (principal.kind === 'app' && !appScopeAllows(principal, 'Appointment', 'u'))
    return { allowed: false, reason: 'scope' };
  return decideAgenda(principal, record, 'push');
}
