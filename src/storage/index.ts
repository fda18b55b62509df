export { openDatabase, migrateToLatest, writeWithoutFsync } from './database.ts';
export type { Db, Executor, Dialect, DatabaseHandle, DatabaseOptions } from './database.ts';
export type * from './schema.ts';
export type * from './schema-access.ts';
export { isoInstant, addMinutes } from './time.ts';
export { isUniqueViolation } from './unique-violation.ts';
