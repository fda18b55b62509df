import type { Kysely } from 'kysely';

export interface Migration {
  up(db: Kysely<unknown>): Promise<void>;
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
};
