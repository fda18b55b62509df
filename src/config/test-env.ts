import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Test-only: every variable production needs (an https base URL, secrets, provider, relay, gateway), fresh data folder. */
export const productionEnv = (): Record<string, string> => ({
  CARNET_ENV: 'production',
  CARNET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'carnet-production-')),
  CARNET_BASE_URL: 'https://monespacesante.example',
  CARNET_SECRET: Buffer.alloc(32, 7).toString('base64'),
  CARNET_DOCUMENT_KEY: Buffer.alloc(32, 9).toString('base64'),
  CARNET_OIDC_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
  CARNET_OIDC_CLIENT_ID: 'carnet',
  CARNET_OIDC_CLIENT_SECRET: 'not-a-real-secret',
  CARNET_SMTP_RELAY: '127.0.0.1:25',
  CARNET_SMTP_TLS_CERT: '/etc/carnet/smtp.crt',
  CARNET_SMTP_TLS_KEY: '/etc/carnet/smtp.key',
  CARNET_SMTP_CLIENT_CA: '/etc/carnet/igc-sante.pem',
  CARNET_SMTP_OPERATOR_DOMAINS: 'mssante.fr',
});
