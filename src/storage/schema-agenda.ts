/** Tables of the medical agenda (src/agenda) and of the notification preferences (src/notifications). */

/**
 * An appointment or a free reminder. What it is about (title, place, practitioner, notes) is health content:
 * sealed in `content` (sealText, bound to patient and row); only the instants stay clear, for the scheduler.
 */
export interface AgendaEventsTable {
  patient_id: string;
  id: string;
  /** 'appointment' | 'reminder' */
  kind: string;
  /** ISO-8601 UTC instant. */
  starts_at: string;
  ends_at: string | null;
  /** The Europe/Paris calendar day of `starts_at` (YYYY-MM-DD): what reminders are computed from. */
  day: string;
  /** sealed JSON: { title, location?, practitioner?, notes? } */
  content: string;
  /** 'patient' | 'professional' */
  source: string;
  author_national_id: string | null;
  /** 'booked' | 'cancelled' */
  status: string;
  created_at: string;
  updated_at: string;
}

/** The patient's "fait" / "non fait" on a prevention item occurrence (src/agenda/prevention). */
export interface AgendaPreventionDecisionsTable {
  patient_id: string;
  item_id: string;
  occurrence: string;
  /** 'done' | 'not-done' */
  status: string;
  decided_at: string;
  /** « Fait le … »: the day it was done (YYYY-MM-DD), for a 'done'; null when not given. */
  done_on: string | null;
}

/** A sent (or deliberately unsent) reminder: the unique key makes every reminder go out at most once. */
export interface AgendaReminderDeliveriesTable {
  patient_id: string;
  /** 'appointment' | 'reminder' | 'prevention' */
  reminder_kind: string;
  /** The event id, or `<itemId>/<occurrence>` for a prevention item. */
  ref: string;
  /** YYYY-MM-DD */
  notify_date: string;
  /** The e-mail queued with it (null when nobody could be written to). */
  outbox_id: string | null;
  created_at: string;
}

/** A Paris day whose prevention notices were all worked out (and queued) by a finished sweep. */
export interface AgendaPreventionSweepsTable {
  /** YYYY-MM-DD */
  day: string;
  /** Activated profiles evaluated. */
  patients: number;
  finished_at: string;
}

/** The secret address of a patient's iCalendar subscription: only the SHA-256 of its token is kept. */
export interface AgendaFeedsTable {
  patient_id: string;
  token_hash: string;
  /** The signed-in person who made the address: the patient, or a minor's legal representative. */
  created_by: string;
  created_at: string;
}

/** Per-patient notification choices; a missing row means every topic is on. */
export interface NotificationPreferencesTable {
  patient_id: string;
  messages: number;
  documents: number;
  appointments: number;
  screening: number;
  services: number;
  updated_at: string;
}

export interface AgendaTables {
  agenda_events: AgendaEventsTable;
  agenda_prevention_decisions: AgendaPreventionDecisionsTable;
  agenda_reminder_deliveries: AgendaReminderDeliveriesTable;
  agenda_prevention_sweeps: AgendaPreventionSweepsTable;
  agenda_feeds: AgendaFeedsTable;
  notification_preferences: NotificationPreferencesTable;
}
