import { maskedAreasShown, mayEditProfileEntry, type Principal, type DenyReason } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import { trace, inRecordTransaction, openProfile, openProfileEntry, Refusal } from '../guard/index.ts';
import { conflict, forbidden, invalid, notFound, uuidv7 } from '../shared/index.ts';
import type { Executor, ProfileEntriesTable } from '../storage/index.ts';
import {
  isProfileSection,
  profileSections,
  type ProfileArea,
  type ProfileSection,
} from '../terminology/index.ts';
import { countEntries, countSection, entryOf, entryRow, listEntries, type EntryPage } from './repository.ts';
import type { EntrySource, ProfileEntry, SourcedEntryInput } from './types.ts';
import { validateSectionData } from './validate.ts';

export interface ProfileReadOptions {
  sections?: readonly ProfileSection[];
  /** Only this slice of the entries is read (and opened); `total` still counts them all. */
  page?: EntryPage;
}

export interface ProfileView {
  entries: ProfileEntry[];
  /** Entries of the allowed sections: all of `entries`, or more when a page was asked for. */
  total: number;
  /** Masked parts: all of them for the patient; for a professional, those of the sections asked for. */
  masked: ProfileArea[];
  refused: { section: ProfileSection; reason: DenyReason }[];
}

/** Sections with at most one entry: a second one is a correction of the first. */
const isOrganDonation = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'organ-donation';

const singleEntrySections: ReadonlySet<ProfileSection> = new Set(['blood-group']);

const entryNotFound = () => notFound('profile-entry-not-found', 'Information introuvable dans le profil.');

/**
 * The profile as the policy lets this principal see it, section by section, in one transaction with its one
 * trace; a refusal of the whole record (closed, blocked, no consent) is traced and thrown.
 */
export async function readProfile(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  options: ProfileReadOptions = {},
): Promise<ProfileView> {
  const sections = [...new Set(options.sections ?? profileSections)];
  for (const s of sections) {
    if (!isProfileSection(s)) throw invalid('section-invalid', 'Cette rubrique du profil n’existe pas.');
  }
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openProfile(
      trx,
      principal,
      patientId,
      { areas: sections, action: 'read', audit: 'profile-read', targetType: 'ProfileSection', partial: true },
      now,
    );
    if (opened instanceof Refusal) return opened;
    const allowed = opened.allowed as ProfileSection[];
    const refused = opened.refused.map(({ area, reason }) => ({ section: area as ProfileSection, reason }));
    const entries = await listEntries(trx, ctx.config, patientId, allowed, options.page);
    const total = options.page ? await countEntries(trx, patientId, allowed) : entries.length;
    const input = trace(principal, patientId, 'profile-read', allowed.length > 0 ? 'success' : 'denied', {
      targetType: 'ProfileSection',
      detail: {
        sections: allowed.join(','),
        entries: total,
        ...(refused.length > 0 ? { refused: refused.map((r) => `${r.section}:${r.reason}`).join(',') } : {}),
      },
    });
    await appendAudit(trx, input, now);
    const masked = maskedAreasShown(principal, opened.masks, sections);
    return { entries, total, masked, refused };
  });
}

/**
 * One entry by its id (a FHIR read), under its part's policy like a read of that part, and traced; undefined when
 * no entry of `sections` has that id.
 */
export async function readProfileEntry(
  ctx: AppContext,
  principal: Principal,
  entryId: string,
  sections: readonly ProfileSection[],
): Promise<ProfileEntry | undefined> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openProfileEntry(trx, principal, entryId, 'read', now, { sections });
    if (opened === undefined || opened instanceof Refusal) return opened;
    const input = trace(principal, opened.patientId, 'profile-read', 'success', {
      targetType: 'ProfileSection',
      targetId: entryId,
      detail: { sections: opened.section, entries: 1 },
    });
    await appendAudit(trx, input, now);
    return entryOf(ctx.config, opened.entry);
  });
}

function sourceOf(principal: Principal): { source: EntrySource; sourceName: string | null } {
  if (principal.kind === 'insurer') return { source: 'insurer', sourceName: 'Assurance Maladie' };
  if (principal.kind === 'app') return { source: 'app', sourceName: principal.serviceName };
  return { source: 'patient', sourceName: null };
}

/** Adds one entry the patient (or the insurer) typed; validated, sealed, traced. */
export async function addProfileEntry(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  section: ProfileSection,
  data: unknown,
): Promise<ProfileEntry> {
  if (!isProfileSection(section)) throw invalid('section-invalid', 'Cette rubrique du profil n’existe pas.');
  const now = ctx.clock.now();
  const checked = validateSectionData(section, data, now);
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openProfile(
      trx,
      principal,
      patientId,
      { areas: [section], action: 'write', audit: 'profile-update', targetType: 'ProfileSection' },
      now,
    );
    if (opened instanceof Refusal) return opened;
    if (singleEntrySections.has(section) && (await countSection(trx, patientId, section)) > 0) {
      throw conflict('profile-single-entry', 'Cette information est déjà renseignée : modifiez-la.');
    }
    // One position on organ donation: a second would contradict the first for whoever reads it.
    if (section === 'wishes' && isOrganDonation(checked)) {
      const wishes = await listEntries(trx, ctx.config, patientId, ['wishes']);
      if (wishes.some((w) => isOrganDonation(w.data))) {
        throw conflict(
          'profile-single-entry',
          'Votre position sur le don d’organes est déjà renseignée : modifiez-la.',
        );
      }
    }
    const row = entryRow(ctx.config, {
      id: uuidv7(now.getTime()),
      patientId,
      section,
      data: checked,
      ...sourceOf(principal),
      sourceRef: null,
      at: now.toISOString(),
    });
    await trx.insertInto('profile_entries').values(row).execute();
    await appendAudit(
      trx,
      trace(principal, patientId, 'profile-update', 'success', {
        targetType: 'ProfileSection',
        targetId: row.id,
        detail: { section, operation: 'add' },
      }),
      now,
    );
    return entryOf(ctx.config, row);
  });
}

/** The entry, opened for a write, if its source lets the principal change it (mayEditProfileEntry). */
function checkEditable(principal: Principal, entry: ProfileEntriesTable): void {
  if (!mayEditProfileEntry(principal, entry.source as EntrySource)) {
    throw forbidden(
      'profile-entry-read-only',
      'Cette information provient de l’Assurance Maladie ou d’une application : elle ne peut pas être modifiée ici.',
    );
  }
}

export async function updateProfileEntry(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  entryId: string,
  data: unknown,
): Promise<ProfileEntry> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openProfileEntry(trx, principal, entryId, 'write', now, { patientId });
    if (!opened) throw entryNotFound();
    if (opened instanceof Refusal) return opened;
    const { entry: row, section } = opened;
    checkEditable(principal, row);
    const checked = validateSectionData(section, data, now);
    const next = entryRow(ctx.config, {
      id: row.id,
      patientId,
      section,
      data: checked,
      source: row.source as EntrySource,
      sourceRef: row.source_ref,
      sourceName: row.source_name,
      at: now.toISOString(),
    });
    const { kind, effective_at, data_sealed, updated_at } = next;
    await trx
      .updateTable('profile_entries')
      .set({ kind, effective_at, data_sealed, updated_at })
      .where('patient_id', '=', patientId)
      .where('id', '=', row.id)
      .execute();
    await appendAudit(
      trx,
      trace(principal, patientId, 'profile-update', 'success', {
        targetType: 'ProfileSection',
        targetId: row.id,
        detail: { section, operation: 'update' },
      }),
      now,
    );
    return entryOf(ctx.config, { ...row, kind, effective_at, data_sealed, updated_at });
  });
}

export async function deleteProfileEntry(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  entryId: string,
): Promise<void> {
  const now = ctx.clock.now();
  await inRecordTransaction(ctx, async (trx) => {
    const opened = await openProfileEntry(trx, principal, entryId, 'write', now, { patientId });
    if (!opened) throw entryNotFound();
    if (opened instanceof Refusal) return opened;
    const { entry: row, section } = opened;
    checkEditable(principal, row);
    await trx
      .deleteFrom('profile_entries')
      .where('patient_id', '=', patientId)
      .where('id', '=', row.id)
      .execute();
    await appendAudit(
      trx,
      trace(principal, patientId, 'profile-update', 'success', {
        targetType: 'ProfileSection',
        targetId: row.id,
        detail: { section, operation: 'delete' },
      }),
      now,
    );
    return undefined;
  });
}

/** The patient hides (or shows again) one part of the profile, or their reimbursed-care history, from professionals. */
export async function setAreaMasked(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  area: ProfileArea,
  masked: boolean,
): Promise<void> {
  if (!isProfileSection(area) && area !== 'care-history') {
    throw invalid('section-invalid', 'Cette rubrique du profil n’existe pas.');
  }
  const now = ctx.clock.now();
  await inRecordTransaction(ctx, async (trx) => {
    const opened = await openProfile(
      trx,
      principal,
      patientId,
      { areas: [area], action: 'mask', audit: 'profile-update', targetType: 'ProfileSection' },
      now,
    );
    if (opened instanceof Refusal) return opened;
    if (masked) {
      await trx
        .insertInto('profile_masks')
        .values({ patient_id: patientId, area, masked_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['patient_id', 'area']).doNothing())
        .execute();
    } else {
      await trx
        .deleteFrom('profile_masks')
        .where('patient_id', '=', patientId)
        .where('area', '=', area)
        .execute();
    }
    await appendAudit(
      trx,
      trace(principal, patientId, masked ? 'mask' : 'unmask', 'success', {
        targetType: area === 'care-history' ? 'CareHistory' : 'ProfileSection',
        targetId: area,
        detail: { section: area },
      }),
      now,
    );
    return undefined;
  });
}

const BATCH = 500;

/**
 * Entries from a feed (the Assurance Maladie, an app), inside the caller's transaction: the caller has decided
 * with decideProfile and traces. A (patient, source, source_ref) already present is skipped, so a re-sent line
 * adds nothing. Returns how many were inserted.
 */
export async function addEntriesFromSource(
  trx: Executor,
  config: Pick<Config, 'documentKey'>,
  items: readonly SourcedEntryInput[],
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  const rows = items.map((item) => {
    if (!isProfileSection(item.section)) {
      throw invalid('section-invalid', 'Cette rubrique du profil n’existe pas.');
    }
    if (!item.sourceRef) throw invalid('source-ref-missing', 'Référence de la source manquante.');
    return entryRow(config, {
      id: uuidv7(now.getTime()),
      patientId: item.patientId,
      section: item.section,
      data: validateSectionData(item.section, item.data, now),
      source: item.source,
      sourceRef: item.sourceRef,
      sourceName: item.sourceName,
      at,
    });
  });
  let inserted = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const result = await trx
      .insertInto('profile_entries')
      .values(rows.slice(i, i + BATCH))
      .onConflict((oc) => oc.columns(['patient_id', 'source', 'source_ref']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}
