import type { PatientId } from '../identity/index.ts';
import { invalid } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';

/**
 * What a patient may be e-mailed about (docs/features.md, "Notifications"): each topic can be switched off, all are
 * on by default.
 */
export const notificationTopics = ['messages', 'documents', 'appointments', 'screening', 'services'] as const;
export type NotificationTopic = (typeof notificationTopics)[number];
export type NotificationPreferences = Record<NotificationTopic, boolean>;

export const notificationTopicLabels: Record<NotificationTopic, string> = {
  messages: 'Nouveaux messages de la messagerie sécurisée',
  documents: 'Nouveaux documents et accès à mon dossier',
  appointments: 'Rappels de rendez-vous et de rappels personnels',
  screening: 'Rappels de dépistages et de vaccinations',
  services: 'Services et applications connectés',
};

export const defaultNotificationPreferences: NotificationPreferences = Object.freeze({
  messages: true,
  documents: true,
  appointments: true,
  screening: true,
  services: true,
});

export const isNotificationTopic = (value: unknown): value is NotificationTopic =>
  typeof value === 'string' && (notificationTopics as readonly string[]).includes(value);

export async function readNotificationPreferences(
  db: Executor,
  patientId: PatientId,
): Promise<NotificationPreferences> {
  const row = await db
    .selectFrom('notification_preferences')
    .selectAll()
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (!row) return { ...defaultNotificationPreferences };
  return {
    messages: row.messages === 1,
    documents: row.documents === 1,
    appointments: row.appointments === 1,
    screening: row.screening === 1,
    services: row.services === 1,
  };
}

/**
 * Whether the patient (for a minor: their representatives, who set the minor's preferences) wants e-mails on
 * this topic. Callers ask it inside the transaction that queues the e-mail.
 */
export async function wantsNotification(
  db: Executor,
  patientId: PatientId | string,
  topic: NotificationTopic,
): Promise<boolean> {
  return (await readNotificationPreferences(db, patientId as PatientId))[topic];
}

/** Checks a partial update coming from the outside (JSON body): known topics, boolean values. */
export function parsePreferencesUpdate(body: unknown): Partial<NotificationPreferences> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('preferences-invalid', 'Les préférences de notification sont mal formées.');
  const update: Partial<NotificationPreferences> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!isNotificationTopic(key))
      throw invalid(
        'preferences-unknown-topic',
        `Le thème de notification « ${key.slice(0, 40)} » est inconnu.`,
      );
    if (typeof value !== 'boolean')
      throw invalid('preferences-invalid', 'Chaque préférence de notification est « oui » ou « non ».');
    update[key] = value;
  }
  return update;
}

export async function writeNotificationPreferences(
  db: Executor,
  patientId: PatientId,
  update: Partial<NotificationPreferences>,
  now: Date,
): Promise<NotificationPreferences> {
  const next = { ...(await readNotificationPreferences(db, patientId)), ...update };
  const values = {
    messages: next.messages ? 1 : 0,
    documents: next.documents ? 1 : 0,
    appointments: next.appointments ? 1 : 0,
    screening: next.screening ? 1 : 0,
    services: next.services ? 1 : 0,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('notification_preferences')
    .values({ patient_id: patientId, ...values })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet(values))
    .execute();
  return next;
}
