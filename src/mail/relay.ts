import type { Config, HostPort } from '../config/index.ts';

/**
 * Where outgoing e-mail leaves: `CARNET_SMTP_RELAY` always wins; without it (development only, config refuses
 * that in production) the embedded relay stores each e-mail under the data folder.
 */
export function usesEmbeddedRelay(config: Config): boolean {
  return !config.smtpRelay && config.environment !== 'production';
}

export type RelayChoice =
  { readonly kind: 'external'; readonly relay: HostPort } | { readonly kind: 'embedded' };

export function chooseRelay(config: Config): RelayChoice {
  if (config.smtpRelay) return { kind: 'external', relay: config.smtpRelay };
  if (usesEmbeddedRelay(config)) return { kind: 'embedded' };
  throw new Error('CARNET_SMTP_RELAY is required in production');
}
