import { decideAgenda, decideAppointmentChange, type AgendaAction, type Principal } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import { trace } from './audit-trace.ts';
import { loadRecord } from './record-context.ts';
import { denialError, refuse, type Refusal } from './refusal.ts';
import { forbidden } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import type { GuardedRecord } from './record.ts';

/** Loads the record, asks the agenda policy; a refusal is traced and returned for after the commit. */
export async function openAgenda(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  action: AgendaAction,
  now: Date,
): Promise<GuardedRecord | Refusal> {
  const record = await loadRecord(db, patientId, principal, now);
  const decision = decideAgenda(principal, record.context, action);
  if (decision.allowed) return { db, principal, patientId, record, emergency: decision.emergency };
  const audit = action === 'read' ? 'agenda-read' : 'agenda-update';
  const input = trace(principal, patientId, audit, 'denied', { detail: { refusal: decision.reason } });
  return refuse(db, input, denialError(decision.reason), now);
}

/**
 * Rescheduling or cancelling a pushed appointment (`authorId`: who pushed it): only its author, with the same
 * checks as pushing; a refusal is traced on the appointment.
 */
export async function openAppointmentChange(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  appointmentId: string,
  authorId: string | null,
  now: Date,
): Promise<GuardedRecord | Refusal> {
  const record = await loadRecord(db, patientId, principal, now);
  const decision = decideAppointmentChange(principal, record.context, authorId);
  if (decision.allowed) return { db, principal, patientId, record, emergency: decision.emergency };
  const error =
    decision.reason === 'not-author'
      ? forbidden(
          'not-author',
          'Seul le professionnel ou le service qui a ajouté ce rendez-vous peut le modifier ou l’annuler.',
        )
      : denialError(decision.reason);
  const input = trace(principal, patientId, 'agenda-update', 'denied', {
    targetType: 'Appointment',
    targetId: appointmentId,
    detail: { refusal: decision.reason },
  });
  return refuse(db, input, error, now);
}
