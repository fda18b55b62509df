import { z } from 'zod';
import { contract } from '../contract.ts';
import { patientParams } from './common.ts';
import { recordDocumentView } from './record-api.ts';

export const preventionReminder = z.object({
  key: z.string(),
  kind: z.enum(['screening', 'vaccination']),
  label: z.string(),
  occurrenceLabel: z.string(),
  dueFrom: z.string(),
  dueUntil: z.string(),
});
export type PreventionReminder = z.infer<typeof preventionReminder>;

/** The patient space's home: what needs the patient on the profile on screen, in one call. */
export const overviewView = z.object({
  newDocuments: z.number(),
  /** Null when the profile has no mailbox open yet. */
  unreadMessages: z.number().nullable(),
  prevention: z.object({ overdue: z.array(preventionReminder), dueSoon: z.array(preventionReminder) }),
  firstAccesses: z.array(z.object({ name: z.string(), profession: z.string().nullable(), at: z.string() })),
});
export type Overview = z.infer<typeof overviewView>;

/**
 * `GET /api/patient/record/:patientId/search`: the words (none: nothing found), and how many found of each kind
 * at most (1–50, 10). The words are optional so that someone else's record is refused whatever the query.
 */
export const spaceSearchQuery = z.object({ q: z.string().max(200).optional(), count: z.string().optional() });

export const messageHitView = z.object({
  /** The conversation to open (`/api/patient/messages/:patientId/threads/:threadId`). */
  threadId: z.string(),
  messageId: z.string(),
  subject: z.string(),
  from: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  receivedAt: z.string(),
  /** The first passage of the body holding a searched word. */
  excerpt: z.string(),
});
export const profileHitView = z.object({
  id: z.string(),
  /** The profile's section (`allergies`, `treatments`…), where the entry is shown. */
  section: z.string(),
  sectionLabel: z.string(),
  label: z.string(),
  date: z.string(),
});

/** One search across the patient's documents, messages and medical profile, each kind newest or profile order first. */
export const spaceSearchView = z.object({
  /** The searched words as compared (lower case, no accents), for highlighting. */
  words: z.array(z.string()),
  documents: z.object({ total: z.number(), items: z.array(recordDocumentView) }),
  /** Null when the profile has no mailbox open yet. */
  messages: z.object({ total: z.number(), items: z.array(messageHitView) }).nullable(),
  profile: z.object({ total: z.number(), items: z.array(profileHitView) }),
});
export type SpaceSearchView = z.infer<typeof spaceSearchView>;
export type MessageHitView = z.infer<typeof messageHitView>;
export type ProfileHitView = z.infer<typeof profileHitView>;

export const overviewContracts = {
  overview: contract({ params: patientParams, response: overviewView }),
  search: contract({ params: patientParams, query: spaceSearchQuery, response: spaceSearchView }),
};
