import { z } from 'zod';
import { contract } from '../contract.ts';
import { patientParams } from './common.ts';

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

export const overviewContracts = {
  overview: contract({ params: patientParams, response: overviewView }),
};
