import type { Kysely } from 'kysely';
import type { Config } from '../../config/index.ts';

/**
 * What a migration that rewrites existing rows may need beyond the schema: the keys that seal health text.
 * Absent when the caller has no configuration (a fresh test database); a migration that then finds rows it
 * must seal stops and says to run `carnet migrate`.
 */
export type MigrationKeys = Pick<Config, 'documentKey' | 'mailFrom'>;

export interface Migration {
  up(db: Kysely<unknown>, keys: MigrationKeys | undefined): Promise<void>;
}
import * as foundation from './001-foundation.ts';
import * as sharedRecord from './002-shared-record.ts';
import * as messaging from './003-messaging.ts';
import * as medicalProfile from './004-medical-profile.ts';
import * as insurerFeed from './005-insurer-feed.ts';
import * as agenda from './006-agenda.ts';
import * as catalogue from './007-catalogue.ts';
import * as connections from './008-connections.ts';
import * as insurerImportLock from './009-insurer-import-lock.ts';
import * as preventionSweeps from './010-prevention-sweeps.ts';
import * as accessRules from './011-access-rules.ts';
import * as sealedSubjects from './012-sealed-subjects.ts';
import * as sealedOutboxAndTitles from './013-sealed-outbox-and-titles.ts';
import * as appGrantScopes from './014-app-grant-scopes.ts';
import * as documentMetadata from './015-document-metadata.ts';
import * as authorNameSearch from './016-author-name-search.ts';
import * as contentBlobs from './017-content-blobs.ts';
import * as patientFirstKeys from './018-patient-first-keys.ts';
import * as coalescedNotices from './019-coalesced-notices.ts';
import * as accountRecovery from './020-account-recovery.ts';
import * as preventionDoneOn from './021-prevention-done-on.ts';
import * as indicators from './022-indicators.ts';
import * as documentOpenings from './023-document-openings.ts';
import * as documentSearch from './024-document-search.ts';
import * as patientFolders from './025-patient-folders.ts';

/** The one ordered list of migrations, shared by SQLite and PostgreSQL. Append; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-shared-record': sharedRecord,
  '003-messaging': messaging,
  '004-medical-profile': medicalProfile,
  '005-insurer-feed': insurerFeed,
  '006-agenda': agenda,
  '007-catalogue': catalogue,
  '008-connections': connections,
  '009-insurer-import-lock': insurerImportLock,
  '010-prevention-sweeps': preventionSweeps,
  '011-access-rules': accessRules,
  '012-sealed-subjects': sealedSubjects,
  '013-sealed-outbox-and-titles': sealedOutboxAndTitles,
  '014-app-grant-scopes': appGrantScopes,
  '015-document-metadata': documentMetadata,
  '016-author-name-search': authorNameSearch,
  '017-content-blobs': contentBlobs,
  '018-patient-first-keys': patientFirstKeys,
  '019-coalesced-notices': coalescedNotices,
  '020-account-recovery': accountRecovery,
  '021-prevention-done-on': preventionDoneOn,
  '022-indicators': indicators,
  '023-document-openings': documentOpenings,
  '024-document-search': documentSearch,
  '025-patient-folders': patientFolders,
};
