import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';
import { productionEnv } from './test-env.ts';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'carnet-config-'));

describe('production guardrails in the configuration', () => {
  // Security review regression: fails on 027241f, before the fix.
  it('accepts only "development" and "production" as CARNET_ENV, and stops on anything else', () => {
    expect(loadConfig({ CARNET_DATA_DIR: dataDir() }).environment).toBe('development');
    expect(loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_ENV: 'development' }).environment).toBe(
      'development',
    );
    expect(loadConfig(productionEnv()).environment).toBe('production');
    for (const typo of ['prod', 'Production', 'staging', 'production ']) {
      expect(() => loadConfig({ ...productionEnv(), CARNET_ENV: typo })).toThrow(ConfigError);
      expect(() => loadConfig({ ...productionEnv(), CARNET_ENV: typo })).toThrow(
        `CARNET_ENV must be "development" or "production", got "${typo}"`,
      );
    }
  });

  // Security review regression: fails on 027241f, before the fix.
  it('requires an https CARNET_BASE_URL in production, and then marks cookies Secure', () => {
    for (const baseUrl of ['http://monespacesante.example', '']) {
      expect(() => loadConfig({ ...productionEnv(), CARNET_BASE_URL: baseUrl })).toThrow(
        /production needs an https CARNET_BASE_URL/,
      );
    }
    expect(loadConfig(productionEnv()).secureCookies).toBe(true);
    expect(loadConfig({ CARNET_DATA_DIR: dataDir() }).secureCookies).toBe(false);
  });
});

describe('CARNET_TRUST_PROXY', () => {
  // Security review regression: fails on 027241f, before the fix.
  it('trusts no proxy unless told, and accepts only addresses, CIDR ranges and range names', () => {
    expect(loadConfig({ CARNET_DATA_DIR: dataDir() }).trustProxy).toEqual([]);
    const given = '10.0.0.1, 192.168.0.0/16,fd00::/8, loopback';
    expect(loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_TRUST_PROXY: given }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['true', '*', 'proxy.example', '10.0.0.0/33', '10.0.0.1/8/8']) {
      expect(() => loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_TRUST_PROXY: bad })).toThrow(
        /CARNET_TRUST_PROXY: ".*" is not an address/,
      );
    }
  });
});

describe('CARNET_OUTBOX_LEASE_SECONDS', () => {
  it('holds a taken e-mail two minutes unless told, and never zero seconds', () => {
    expect(loadConfig({ CARNET_DATA_DIR: dataDir() }).outboxLeaseSeconds).toBe(120);
    expect(
      loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_OUTBOX_LEASE_SECONDS: '5' }).outboxLeaseSeconds,
    ).toBe(5);
    expect(() => loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_OUTBOX_LEASE_SECONDS: '0' })).toThrow(
      'CARNET_OUTBOX_LEASE_SECONDS must be at least 1',
    );
  });
});

describe('CARNET_DEMO_APP', () => {
  it('starts the demo connected app unless told off, and stops on anything but on or off', () => {
    expect(loadConfig({ CARNET_DATA_DIR: dataDir() }).demoApp).toBe(true);
    expect(loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_DEMO_APP: 'off' }).demoApp).toBe(false);
    expect(() => loadConfig({ CARNET_DATA_DIR: dataDir(), CARNET_DEMO_APP: 'no' })).toThrow(
      'CARNET_DEMO_APP must be on or off, got "no"',
    );
  });
});
