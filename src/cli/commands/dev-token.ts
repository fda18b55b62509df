import { loadConfig } from '../../config/index.ts';
import { issueDevAccessToken, type DevTokenSubject } from '../../idp/index.ts';
import { systemClock } from '../../shared/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';
import { parseArgs } from '../args.ts';

const usage = 'Usage: carnet dev-token --rpps <11 chiffres> | --ins <15 caractères>';

function subjectOf(args: readonly string[]): DevTokenSubject | undefined {
  const { flags } = parseArgs(args, ['rpps', 'ins']);
  const rpps = flags.get('rpps');
  const ins = flags.get('ins');
  if (typeof rpps === 'string' && ins === undefined) return { rpps };
  if (typeof ins === 'string' && rpps === undefined) return { ins };
  return undefined;
}

/** Prints a bearer access token for a professional (`--rpps`) or a patient (`--ins`); development only. */
export async function devTokenCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const subject = subjectOf(args);
  if (!subject) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig(env);
  if (!config.devIdentityProvider) {
    console.error(
      'carnet dev-token: refusé — le fournisseur d’identité de développement est désactivé (CARNET_OIDC_ISSUER est défini ou CARNET_ENV=production).',
    );
    return 1;
  }
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, config);
    const ctx = { config, db: database.db, dialect: database.dialect, clock: systemClock };
    console.log(await issueDevAccessToken(ctx, subject));
    return 0;
  } finally {
    await database.close();
  }
}
