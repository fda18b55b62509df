/**
 * Which e-mails a patient wants (docs/features.md, "Notifications"). The senders (record, messaging, agenda) ask
 * `wantsNotification`.
 */
export type { NotificationPreferences, NotificationTopic } from './preferences.ts';
export {
  defaultNotificationPreferences,
  isNotificationTopic,
  notificationTopicLabels,
  notificationTopics,
  parsePreferencesUpdate,
  readNotificationPreferences,
  wantsNotification,
  writeNotificationPreferences,
} from './preferences.ts';
