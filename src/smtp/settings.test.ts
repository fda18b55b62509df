import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.ts';
import { productionEnv } from '../config/test-env.ts';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'carnet-smtp-config-'));

/** Everything production needs apart from the gateway's own settings (`gateway` below). */
const productionBase = () =>
  Object.fromEntries(Object.entries(productionEnv()).filter(([name]) => !(name in gateway)));
const gateway = {
  CARNET_SMTP_TLS_CERT: '/etc/carnet/smtp.crt',
  CARNET_SMTP_TLS_KEY: '/etc/carnet/smtp.key',
  CARNET_SMTP_CLIENT_CA: '/etc/carnet/igc-sante.pem',
  CARNET_SMTP_OPERATOR_DOMAINS: 'mssante.fr,ch-lyon.fr',
};

describe('the SMTP gateway settings', () => {
  it('default in development to loopback, 25 MB, a generated certificate, no white list, and the limits', () => {
    const { smtpGateway, smtpPort } = loadConfig({ CARNET_DATA_DIR: dataDir() });
    expect(smtpPort).toBe(2525);
    expect(smtpGateway).toEqual({
      host: '127.0.0.1',
      maxBytes: 25 * 1024 * 1024,
      tls: undefined,
      clientCaPath: undefined,
      operatorDomains: [],
      maxExpandedBytes: 25 * 1024 * 1024,
      maxFiles: 100,
      maxRecipients: 100,
      maxConnectionsPerClient: 10,
      maxUnknownRecipients: 20,
      unknownRecipientsWindowSeconds: 3600,
    });
  });

  it('read the per-message and per-client limits, which must be positive', () => {
    const { smtpGateway } = loadConfig({
      CARNET_DATA_DIR: dataDir(),
      CARNET_SMTP_MAX_BYTES: '1000',
      CARNET_SMTP_MAX_FILES: '7',
      CARNET_SMTP_MAX_RECIPIENTS: '3',
      CARNET_SMTP_MAX_CONNECTIONS_PER_CLIENT: '2',
      CARNET_SMTP_MAX_UNKNOWN_RECIPIENTS: '5',
      CARNET_SMTP_UNKNOWN_RECIPIENTS_WINDOW_SECONDS: '60',
    });
    expect(smtpGateway).toMatchObject({
      maxExpandedBytes: 1000,
      maxFiles: 7,
      maxRecipients: 3,
      maxConnectionsPerClient: 2,
      maxUnknownRecipients: 5,
      unknownRecipientsWindowSeconds: 60,
    });
    for (const name of [
      'CARNET_SMTP_MAX_RECIPIENTS',
      'CARNET_SMTP_MAX_EXPANDED_BYTES',
      'CARNET_SMTP_MAX_FILES',
    ])
      expect(() => loadConfig({ CARNET_DATA_DIR: dataDir(), [name]: '0' }), name).toThrow(name);
  });

  it('read the size limit, the listen address and the operators', () => {
    const { smtpGateway } = loadConfig({
      CARNET_DATA_DIR: dataDir(),
      CARNET_SMTP_MAX_BYTES: '1000',
      CARNET_SMTP_HOST: '0.0.0.0',
      CARNET_SMTP_OPERATOR_DOMAINS: 'MSSante.fr',
    });
    expect(smtpGateway).toMatchObject({ host: '0.0.0.0', maxBytes: 1000, operatorDomains: ['mssante.fr'] });
    expect(() => loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_SMTP_MAX_BYTES: '-1' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_SMTP_OPERATOR_DOMAINS: 'a b' })).toThrow(
      /OPERATOR_DOMAINS/,
    );
    expect(() => loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_SMTP_TLS_CERT: '/x.pem' })).toThrow(
      /go together/,
    );
  });

  it('are all required in production: certificate, operators CA, operator domains', () => {
    expect(loadConfig({ ...productionBase(), ...gateway }).smtpGateway).toMatchObject({
      tls: { certPath: '/etc/carnet/smtp.crt', keyPath: '/etc/carnet/smtp.key' },
      clientCaPath: '/etc/carnet/igc-sante.pem',
      operatorDomains: ['mssante.fr', 'ch-lyon.fr'],
    });
    for (const missing of Object.keys(gateway)) {
      const env: Record<string, string> = { ...productionBase(), ...gateway };
      delete env[missing];
      expect(() => loadConfig(env), missing).toThrow(ConfigError);
    }
  });
});
