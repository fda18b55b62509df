import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { contentFormats as knownContentFormats, type ContentFormat } from './content-formats.ts';
import { deriveKey } from './keys.ts';
import { parseOperatorDomains } from './operator-domains.ts';

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
  /** The inbound MSSanté SMTP gateway (src/smtp): listen address, size limit, TLS material, operators. */
  readonly smtpGateway: SmtpGatewaySettings;
  /** Outgoing e-mail relay; unset outside production means the embedded development relay. */
  readonly smtpRelay: HostPort | undefined;
  /** `CARNET_REMINDER_INTERVAL_MINUTES`: how often the agenda's reminder pass runs; 0 turns it off. Default 15. */
  readonly reminderIntervalMinutes: number;
  /**
   * `CARNET_DEMO_RECORD_YEARS`: how many years of documents `serve --demo` gives the long-term demo patient (about
   * a hundred a year); 0 gives her none. Default 10. Tests that start whole servers ask for less.
   */
  readonly demoRecordYears: number;
  /**
   * `CARNET_DEMO_APP`: whether `serve --demo` starts the demo connected app (GlucoSuivi) on its fixed port 8090,
   * `on` (default) or `off`. Tests that start and kill whole servers turn it off: two of them at once would both
   * want its port, and each restart would pay for its process.
   */
  readonly demoApp: boolean;
  /**
   * `CARNET_OUTBOX_LEASE_SECONDS`: how long an instance holds the e-mails it took from the queue; another instance
   * sends them once it runs out (the first one died). Longer than one SMTP exchange. Default 120.
   */
  readonly outboxLeaseSeconds: number;
  /**
   * `CARNET_NOTICE_COALESCE_SECONDS`: how long a patient's "new documents" e-mail waits for further deposits to
   * join it (a burst gives one e-mail); 0 sends it at once, still joined by deposits made before it leaves.
   * Default 600.
   */
  readonly noticeCoalesceSeconds: number;
  readonly baseUrl: string;
  /** Cookies carry `Secure` when the base URL is https, which production requires. */
  readonly secureCookies: boolean;
  /**
   * `CARNET_TRUST_PROXY`: the reverse proxies (addresses, CIDR ranges) whose `X-Forwarded-For` names the client;
   * empty (the default) trusts no header, so per-address limits count the connection's own address.
   */
  readonly trustProxy: readonly string[];
  /** Master secret from which cookie, token and encryption keys are derived (HKDF). */
  readonly secret: Buffer;
  /** The professionals' identity provider: a real one (Pro Santé Connect) or, when unset, the embedded development one. */
  readonly oidc: OidcProviderSettings | undefined;
  readonly devIdentityProvider: boolean;
  readonly mailFrom: string;
  readonly patientMailDomain: string;
  readonly logLevel: string;
  /** `CARNET_HABILITATION_MATRIX`: another habilitation matrix file (e.g. the official table); unset = bundled v1. */
  readonly habilitationMatrixPath: string | undefined;
  readonly documentKey: DocumentKey;
  /** Largest content a professional, an establishment or the insurer may deposit (bytes). */
  readonly maxDocumentBytes: number;
  readonly maxPatientUploadBytes: number;
  /** Formats a patient may upload (checked by content). */
  readonly patientUploadTypes: readonly ContentFormat[];
}

export interface SmtpGatewaySettings {
  /** `CARNET_SMTP_HOST`, default 127.0.0.1. */
  readonly host: string;
  /** `CARNET_SMTP_MAX_BYTES`: announced in EHLO (SIZE) and enforced on DATA; default 25 MB. */
  readonly maxBytes: number;
  /** `CARNET_SMTP_TLS_CERT` / `CARNET_SMTP_TLS_KEY` (PEM files); unset in development: a generated self-signed pair. */
  readonly tls: { readonly certPath: string; readonly keyPath: string } | undefined;
  /** `CARNET_SMTP_CLIENT_CA`: PEM of the CA (IGC-Santé) operators' client certificates must chain to. */
  readonly clientCaPath: string | undefined;
  /** `CARNET_SMTP_OPERATOR_DOMAINS`: sender domains accepted in production (sub-domains included). */
  readonly operatorDomains: readonly string[];
  /** `CARNET_SMTP_MAX_EXPANDED_BYTES`: bytes one message's archives (IHE_XDM.ZIP) may unpack to; default the size limit. */
  readonly maxExpandedBytes: number;
  /** `CARNET_SMTP_MAX_FILES`: files kept for one message (attachments and unpacked documents); default 100. */
  readonly maxFiles: number;
  /** `CARNET_SMTP_MAX_RECIPIENTS`: recipients of one transaction, more get 452 4.5.3; default 100. */
  readonly maxRecipients: number;
  /** `CARNET_SMTP_MAX_CONNECTIONS_PER_CLIENT`: concurrent connections from one IP address; default 10. */
  readonly maxConnectionsPerClient: number;
  /** `CARNET_SMTP_MAX_UNKNOWN_RECIPIENTS`: refused recipients one IP may get per window before 421; default 20. */
  readonly maxUnknownRecipients: number;
  /** `CARNET_SMTP_UNKNOWN_RECIPIENTS_WINDOW_SECONDS`: that window; default 3600. */
  readonly unknownRecipientsWindowSeconds: number;
}

/** The AES-256 key for document contents and its id (written in each file's header, so keys can rotate). */
export interface DocumentKey {
  /** 4 bytes of HMAC-SHA256(key, "carnet:document-key-id"), hex: names the key without revealing it. */
  readonly id: string;
  readonly key: Buffer;
}

export class ConfigError extends Error {}

const defaultPatientUploadTypes = 'application/pdf,text/plain,image/jpeg,image/png,image/tiff';
function byteCount(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new ConfigError(`${name} must be a positive number of bytes, got "${value}"`);
  return n;
}

function contentFormats(value: string | undefined, name: string): readonly ContentFormat[] {
  const list = (value || defaultPatientUploadTypes)
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const type of list) {
    if (!(knownContentFormats as readonly string[]).includes(type)) {
      throw new ConfigError(
        `${name}: "${type}" is not an accepted format (${knownContentFormats.join(', ')})`,
      );
    }
  }
  return Object.freeze(list as ContentFormat[]);
}

/** Production must give the key; development derives it from the master secret. */
function loadDocumentKey(
  env: NodeJS.ProcessEnv,
  environment: CarnetEnvironment,
  secret: Buffer,
): DocumentKey {
  const given = env.CARNET_DOCUMENT_KEY;
  let key: Buffer;
  if (given) {
    key = Buffer.from(given, 'base64');
    if (key.length !== 32) throw new ConfigError('CARNET_DOCUMENT_KEY must be 32 bytes, base64-encoded');
  } else if (environment === 'production') {
    throw new ConfigError('CARNET_DOCUMENT_KEY is required in production');
  } else {
    key = deriveKey({ secret }, 'document');
  }
  const id = createHmac('sha256', key)
    .update('carnet:document-key-id')
    .digest()
    .subarray(0, 4)
    .toString('hex');
  return Object.freeze({ id, key });
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a whole number from 0 to 65535, got "${value}"`);
  return n;
}

function onOff(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new ConfigError(`${name} must be on or off, got "${value}"`);
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

/** Production needs real TLS material, the operators' CA and their domains: no development fallback there. */
function loadSmtpGateway(env: NodeJS.ProcessEnv, environment: CarnetEnvironment): SmtpGatewaySettings {
  const cert = env.CARNET_SMTP_TLS_CERT;
  const key = env.CARNET_SMTP_TLS_KEY;
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConfigError('CARNET_SMTP_TLS_CERT and CARNET_SMTP_TLS_KEY go together');
  }
  const operators = parseOperatorDomains(env.CARNET_SMTP_OPERATOR_DOMAINS);
  if (operators.invalid.length > 0) {
    throw new ConfigError(`CARNET_SMTP_OPERATOR_DOMAINS: not a domain: ${operators.invalid.join(', ')}`);
  }
  const maxBytes = byteCount(env.CARNET_SMTP_MAX_BYTES, 25 * 1024 * 1024, 'CARNET_SMTP_MAX_BYTES');
  const positive = (name: string, fallback: number) => {
    const n = integer(env[name], fallback, name);
    if (n <= 0) throw new ConfigError(`${name} must be a positive integer, got "${env[name]}"`);
    return n;
  };
  const settings: SmtpGatewaySettings = Object.freeze({
    host: env.CARNET_SMTP_HOST || '127.0.0.1',
    maxBytes,
    tls:
      cert && key ? Object.freeze({ certPath: path.resolve(cert), keyPath: path.resolve(key) }) : undefined,
    clientCaPath: env.CARNET_SMTP_CLIENT_CA ? path.resolve(env.CARNET_SMTP_CLIENT_CA) : undefined,
    operatorDomains: operators.domains,
    maxExpandedBytes: byteCount(
      env.CARNET_SMTP_MAX_EXPANDED_BYTES,
      maxBytes,
      'CARNET_SMTP_MAX_EXPANDED_BYTES',
    ),
    maxFiles: positive('CARNET_SMTP_MAX_FILES', 100),
    maxRecipients: positive('CARNET_SMTP_MAX_RECIPIENTS', 100),
    maxConnectionsPerClient: positive('CARNET_SMTP_MAX_CONNECTIONS_PER_CLIENT', 10),
    maxUnknownRecipients: positive('CARNET_SMTP_MAX_UNKNOWN_RECIPIENTS', 20),
    unknownRecipientsWindowSeconds: positive('CARNET_SMTP_UNKNOWN_RECIPIENTS_WINDOW_SECONDS', 3600),
  });
  if (environment === 'production') {
    if (!settings.tls) throw new ConfigError('production needs CARNET_SMTP_TLS_CERT and CARNET_SMTP_TLS_KEY');
    if (!settings.clientCaPath) throw new ConfigError('production needs CARNET_SMTP_CLIENT_CA (mutual TLS)');
    if (settings.operatorDomains.length === 0) {
      throw new ConfigError('production needs CARNET_SMTP_OPERATOR_DOMAINS');
    }
  }
  return settings;
}

/** A typo (`prod`, `Production`) must not quietly run a national health record with development conveniences. */
function parseEnvironment(value: string | undefined): CarnetEnvironment {
  if (value === undefined || value === '' || value === 'development') return 'development';
  if (value === 'production') return 'production';
  throw new ConfigError(`CARNET_ENV must be "development" or "production", got "${value}"`);
}

/** proxy-addr's names for whole ranges, accepted beside addresses and CIDRs. */
const proxyRangeNames = ['loopback', 'linklocal', 'uniquelocal'];

function parseTrustedProxies(value: string | undefined): readonly string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 4 ? 32 : 128;
    const validBits =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits) || isIP(bits) === 4;
    if (!proxyRangeNames.includes(entry) && (family === 0 || !validBits || extra !== undefined)) {
      throw new ConfigError(
        `CARNET_TRUST_PROXY: "${entry}" is not an address, a CIDR range or one of ${proxyRangeNames.join(', ')}`,
      );
    }
  }
  return Object.freeze(entries);
}

/** Parses the environment once, fails fast, and returns a frozen object (README "Configuration"). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const environment = parseEnvironment(env.CARNET_ENV);
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
  const baseUrl = (env.CARNET_BASE_URL || `http://localhost:${port}`).replace(/\/$/, '');
  const secureCookies = /^https:\/\//i.test(baseUrl);
  if (environment === 'production' && !secureCookies) {
    throw new ConfigError(
      `production needs an https CARNET_BASE_URL (sessions travel in cookies), got "${baseUrl}"`,
    );
  }
  const secret = loadSecret(env, environment, dataDir);
  const outboxLeaseSeconds = integer(env.CARNET_OUTBOX_LEASE_SECONDS, 120, 'CARNET_OUTBOX_LEASE_SECONDS');
  // No lease would let every instance take the same e-mail at once.
  if (outboxLeaseSeconds < 1) throw new ConfigError('CARNET_OUTBOX_LEASE_SECONDS must be at least 1');
  return Object.freeze({
    environment,
    dataDir,
    databaseUrl,
    sqlitePath: path.join(dataDir, 'carnet.db'),
    port,
    host: env.HOST || '127.0.0.1',
    smtpPort: integer(env.CARNET_SMTP_PORT, 2525, 'CARNET_SMTP_PORT'),
    smtpGateway: loadSmtpGateway(env, environment),
    smtpRelay,
    outboxLeaseSeconds,
    reminderIntervalMinutes: integer(
      env.CARNET_REMINDER_INTERVAL_MINUTES,
      15,
      'CARNET_REMINDER_INTERVAL_MINUTES',
    ),
    noticeCoalesceSeconds: integer(env.CARNET_NOTICE_COALESCE_SECONDS, 600, 'CARNET_NOTICE_COALESCE_SECONDS'),
    demoRecordYears: integer(env.CARNET_DEMO_RECORD_YEARS, 10, 'CARNET_DEMO_RECORD_YEARS'),
    demoApp: onOff(env.CARNET_DEMO_APP, true, 'CARNET_DEMO_APP'),
    baseUrl,
    secureCookies,
    trustProxy: parseTrustedProxies(env.CARNET_TRUST_PROXY),
    secret,
    oidc,
    devIdentityProvider: !oidc && environment !== 'production',
    mailFrom: env.CARNET_MAIL_FROM || 'Mon espace santé <ne-pas-repondre@monespacesante.localhost>',
    patientMailDomain: env.CARNET_PATIENT_MAIL_DOMAIN || 'patient.mssante.fr',
    logLevel: env.CARNET_LOG_LEVEL || 'info',
    habilitationMatrixPath: env.CARNET_HABILITATION_MATRIX
      ? path.resolve(env.CARNET_HABILITATION_MATRIX)
      : undefined,
    documentKey: loadDocumentKey(env, environment, secret),
    maxDocumentBytes: byteCount(env.CARNET_MAX_DOCUMENT_BYTES, 20 * 1024 * 1024, 'CARNET_MAX_DOCUMENT_BYTES'),
    maxPatientUploadBytes: byteCount(
      env.CARNET_MAX_PATIENT_UPLOAD_BYTES,
      5 * 1024 * 1024,
      'CARNET_MAX_PATIENT_UPLOAD_BYTES',
    ),
    patientUploadTypes: contentFormats(env.CARNET_PATIENT_UPLOAD_TYPES, 'CARNET_PATIENT_UPLOAD_TYPES'),
  });
}
