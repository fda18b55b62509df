import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Where the process runs: `production` refuses every development convenience. */
export type CarnetEnvironment = 'development' | 'production';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface OidcProviderSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface Config {
  readonly environment: CarnetEnvironment;
  readonly dataDir: string;
  /** Unset: SQLite at `$CARNET_DATA_DIR/carnet.db`. */
  readonly databaseUrl: string | undefined;
  readonly sqlitePath: string;
  readonly port: number;
  readonly host: string;
  readonly smtpPort: number;
  /** Outgoing e-mail relay; unset outside production means the embedded development relay. */
  readonly smtpRelay: HostPort | undefined;
  readonly baseUrl: string;
  /** Master secret from which cookie, token and encryption keys are derived (HKDF). */
  readonly secret: Buffer;
  /** The professionals' identity provider: a real one (Pro Santé Connect) or, when unset, the embedded development one. */
  readonly oidc: OidcProviderSettings | undefined;
  readonly devIdentityProvider: boolean;
  readonly mailFrom: string;
  readonly patientMailDomain: string;
  readonly logLevel: string;
}

export class ConfigError extends Error {}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a port number, got "${value}"`);
  return n;
}

function hostPort(value: string | undefined, name: string): HostPort | undefined {
  if (!value) return undefined;
  const match = /^(.+):(\d+)$/.exec(value);
  if (!match) throw new ConfigError(`${name} must be host:port, got "${value}"`);
  return { host: match[1]!, port: integer(match[2], 0, name) };
}

/** In development the secret lives in the data folder (never in the repository); production must provide it. */
function loadSecret(env: NodeJS.ProcessEnv, environment: CarnetEnvironment, dataDir: string): Buffer {
  const given = env.CARNET_SECRET;
  if (given) {
    const secret = Buffer.from(given, 'base64');
    if (secret.length < 32) throw new ConfigError('CARNET_SECRET must be at least 32 bytes, base64-encoded');
    return secret;
  }
  if (environment === 'production') throw new ConfigError('CARNET_SECRET is required in production');
  const file = path.join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

function loadOidc(env: NodeJS.ProcessEnv): OidcProviderSettings | undefined {
  const issuer = env.CARNET_OIDC_ISSUER;
  if (!issuer) return undefined;
  const clientId = env.CARNET_OIDC_CLIENT_ID;
  const clientSecret = env.CARNET_OIDC_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    throw new ConfigError('CARNET_OIDC_ISSUER needs CARNET_OIDC_CLIENT_ID and CARNET_OIDC_CLIENT_SECRET');
  }
  return { issuer, clientId, clientSecret };
}

/** Parses the environment once, fails fast, and returns a frozen object (README "Configuration"). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const environment: CarnetEnvironment = env.CARNET_ENV === 'production' ? 'production' : 'development';
  const dataDir = path.resolve(env.CARNET_DATA_DIR || './data');
  const port = integer(env.PORT, 8080, 'PORT');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL (unset it to use SQLite)');
  }
  const oidc = loadOidc(env);
  const smtpRelay = hostPort(env.CARNET_SMTP_RELAY, 'CARNET_SMTP_RELAY');
  if (environment === 'production') {
    if (!oidc) throw new ConfigError('production needs CARNET_OIDC_ISSUER (Pro Santé Connect)');
    if (!smtpRelay) throw new ConfigError('production needs CARNET_SMTP_RELAY');
  }
  return Object.freeze({
    environment,
    dataDir,
    databaseUrl,
    sqlitePath: path.join(dataDir, 'carnet.db'),
    port,
    host: env.HOST || '127.0.0.1',
    smtpPort: integer(env.CARNET_SMTP_PORT, 2525, 'CARNET_SMTP_PORT'),
    smtpRelay,
    baseUrl: (env.CARNET_BASE_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    secret: loadSecret(env, environment, dataDir),
    oidc,
    devIdentityProvider: !oidc && environment !== 'production',
    mailFrom: env.CARNET_MAIL_FROM || 'Mon espace santé <ne-pas-repondre@monespacesante.localhost>',
    patientMailDomain: env.CARNET_PATIENT_MAIL_DOMAIN || 'patient.mssante.fr',
    logLevel: env.CARNET_LOG_LEVEL || 'info',
  });
}
