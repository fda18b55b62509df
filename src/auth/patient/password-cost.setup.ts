import { setPasswordHashCostForTests } from './password.ts';

/**
 * Vitest setup (vitest.config.ts `setupFiles`): new password hashes cost 1 MiB instead of 32 MiB, since the suite
 * creates hundreds of accounts (every demo seed activates its patients). A test of the production cost sets it
 * back with `setPasswordHashCostForTests(PASSWORD_HASH_COST)`; each test file starts from this setup again.
 * Servers the tests spawn as processes (`carnet serve`) keep the production cost.
 */
setPasswordHashCostForTests(2 ** 10);
