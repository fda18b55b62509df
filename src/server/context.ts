import { installHabilitationMatrix } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';

/**
 * Builds a process's context (server or command). What the configuration chooses for the whole process is
 * applied here: the habilitation matrix every access decision uses, so an invalid file fails now, at startup.
 */
export function createAppContext(parts: AppContext): AppContext {
  installHabilitationMatrix(parts.config.habilitationMatrixPath);
  return { config: parts.config, db: parts.db, dialect: parts.dialect, clock: parts.clock };
}
