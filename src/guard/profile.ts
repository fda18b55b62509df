import { decideProfile, type DenyReason, type Principal, type ProfileAction } from '../access/index.ts';
import type { AuditAction, AuditTargetType } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { Executor, ProfileEntriesTable } from '../storage/index.ts';
import type { ProfileArea, ProfileSection } from '../terminology/index.ts';
import { trace } from './audit-trace.ts';
import { loadRecord } from './record-context.ts';
import type { GuardedRecord } from './record.ts';
import { denialError, refuse, Refusal } from './refusal.ts';

/** What the guard hands the profile services: the parts the principal may work on, and the record's masks. */
export interface GuardedProfile extends GuardedRecord {
  readonly masks: ReadonlySet<ProfileArea>;
  /** The parts asked for that the policy allowed, in the order asked. */
  readonly allowed: readonly ProfileArea[];
  /** Parts refused on their own (with `partial`): the rest is still served. */
  readonly refused: readonly { readonly area: ProfileArea; readonly reason: DenyReason }[];
}

export interface ProfileOpening {
  readonly areas: readonly ProfileArea[];
  readonly action: ProfileAction;
  /** How a refusal is traced. */
  readonly audit: AuditAction;
  readonly targetType: AuditTargetType;
  /**
   * Several parts read at once: a part refused on its own (matrix, mask, scope) is left out and listed, and only a
   * refusal of the whole record refuses. Without it, any refusal refuses.
   */
  readonly partial?: boolean;
}

/** Refusals that concern a part, not the whole record. */
const partReasons: ReadonlySet<DenyReason> = new Set(['habilitation', 'masked', 'scope']);

export async function readMaskedAreas(db: Executor, patientId: PatientId): Promise<ReadonlySet<ProfileArea>> {
  const rows = await db
    .selectFrom('profile_masks')
    .select('area')
    .where('patient_id', '=', patientId)
    .execute();
  return new Set(rows.map((r) => r.area as ProfileArea));
}

/**
 * Loads the record and its masks, and asks the profile policy for each part; a refusal is traced and returned.
 * A write's refusal names its part.
 */
export async function openProfile(
  db: Executor,
  principal: Principal,
  patientId: PatientId,
  opening: ProfileOpening,
  now: Date,
): Promise<GuardedProfile | Refusal> {
  const record = await loadRecord(db, patientId, principal, now);
  const masks = await readMaskedAreas(db, patientId);
  const allowed: ProfileArea[] = [];
  const refused: { area: ProfileArea; reason: DenyReason }[] = [];
  let emergency = false;
  for (const area of opening.areas) {
    const decision = decideProfile(principal, record.context, area, opening.action, masks.has(area));
    if (decision.allowed) {
      allowed.push(area);
      emergency ||= decision.emergency;
    } else if (opening.partial && partReasons.has(decision.reason)) {
      refused.push({ area, reason: decision.reason });
    } else {
      const input = trace(principal, patientId, opening.audit, 'denied', {
        targetType: opening.targetType,
        detail:
          opening.action === 'read'
            ? { refusal: decision.reason }
            : { section: area, refusal: decision.reason },
      });
      return refuse(db, input, denialError(decision.reason), now);
    }
  }
  return { db, principal, patientId, record, emergency, masks, allowed, refused };
}

export interface GuardedProfileEntry extends GuardedProfile {
  readonly entry: ProfileEntriesTable;
  readonly section: ProfileSection;
}

/**
 * Finds one profile entry and opens its part for `action` (a refusal traced as a profile read or update), or
 * undefined when no entry matches: `patientId` and `sections`, when given, narrow the search.
 */
export async function openProfileEntry(
  db: Executor,
  principal: Principal,
  entryId: string,
  action: 'read' | 'write',
  now: Date,
  where: { readonly patientId?: PatientId; readonly sections?: readonly ProfileSection[] } = {},
): Promise<GuardedProfileEntry | Refusal | undefined> {
  if (where.sections?.length === 0) return undefined;
  let query = db.selectFrom('profile_entries').selectAll().where('id', '=', entryId);
  if (where.patientId) query = query.where('patient_id', '=', where.patientId);
  if (where.sections) query = query.where('section', 'in', where.sections);
  const entry = await query.executeTakeFirst();
  if (!entry) return undefined;
  const section = entry.section as ProfileSection;
  const opened = await openProfile(
    db,
    principal,
    entry.patient_id as PatientId,
    {
      areas: [section],
      action,
      audit: action === 'read' ? 'profile-read' : 'profile-update',
      targetType: 'ProfileSection',
    },
    now,
  );
  return opened instanceof Refusal ? opened : { ...opened, entry, section };
}
