import { ConfigError, type Config } from '../config/index.ts';

/**
 * Demo people have published passwords and fictitious records: in production they would be accounts anyone can
 * enter and false health data, so the commands that add them stop before touching the database.
 */
export function refuseDemoInProduction(config: Config, command: string): void {
  if (config.environment === 'production') {
    throw new ConfigError(
      `${command} is refused in production (CARNET_ENV=production): the demo people have published passwords and fictitious records`,
    );
  }
}
