export { loadConfig, ConfigError } from './config.ts';
export type { Config, CarnetEnvironment, DocumentKey, HostPort, OidcProviderSettings } from './config.ts';
export { deriveKey } from './keys.ts';
export type { KeyPurpose } from './keys.ts';
export { contentFormats } from './content-formats.ts';
export type { ContentFormat } from './content-formats.ts';
export { parseOperatorDomains } from './operator-domains.ts';
