import type { Config } from '../config/index.ts';
import type { Db, Dialect } from '../storage/index.ts';
import type { Clock } from '../shared/index.ts';

/**
 * What every adapter (HTTP, SMTP, CLI) is built from. Services are plain functions of this context;
 * nothing here is mutable, so several server instances can share one PostgreSQL.
 */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  readonly dialect: Dialect;
  readonly clock: Clock;
}
