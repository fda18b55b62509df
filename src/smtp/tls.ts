import { readFileSync } from 'node:fs';
import type { Config } from '../config/index.ts';
import { developmentCertificate } from './self-signed.ts';

/** What the gateway's TLS needs: its own pair, and in production the CA that operators' certificates chain to. */
export interface GatewayTls {
  readonly cert: string;
  readonly key: string;
  readonly clientCa: string | undefined;
}

/** Configured PEM files when given; otherwise (development only, config enforces it) a generated self-signed pair. */
export async function loadGatewayTls(config: Config): Promise<GatewayTls> {
  const { tls, clientCaPath } = config.smtpGateway;
  const pair = tls
    ? { cert: readFileSync(tls.certPath, 'utf8'), key: readFileSync(tls.keyPath, 'utf8') }
    : await developmentCertificate(config.dataDir, ['localhost', '127.0.0.1', '::1']);
  return { ...pair, clientCa: clientCaPath ? readFileSync(clientCaPath, 'utf8') : undefined };
}
