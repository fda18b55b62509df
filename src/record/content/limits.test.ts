import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, deriveKey, loadConfig } from '../../config/index.ts';
import { CarnetError } from '../../shared/index.ts';
import { checkContent, contentLimits, type ContentLimits } from './limits.ts';
import { sha256Hex } from './store.ts';
import { makePdf } from './test-files.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'carnet-limits-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): CarnetError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CarnetError) return error;
    throw error;
  }
  throw new Error('expected a CarnetError');
}

describe('content configuration', () => {
  it('defaults to 20 MB for professionals, 5 MB and the issue formats for patients', () => {
    const limits = contentLimits(loadConfig({ CARNET_DATA_DIR: dataDir }));
    expect(limits.professionalMaxBytes).toBe(20 * 1024 * 1024);
    expect(limits.patientMaxBytes).toBe(5 * 1024 * 1024);
    expect(limits.patientTypes).toEqual([
      'application/pdf',
      'text/plain',
      'image/jpeg',
      'image/png',
      'image/tiff',
    ]);
    expect(limits.professionalTypes).toContain('text/xml');
  });

  it('reads limits and types from the environment, and refuses formats it cannot check (RTF)', () => {
    const config = loadConfig({
      CARNET_DATA_DIR: dataDir,
      CARNET_MAX_DOCUMENT_BYTES: '1000',
      CARNET_MAX_PATIENT_UPLOAD_BYTES: '500',
      CARNET_PATIENT_UPLOAD_TYPES: 'application/pdf, image/png',
    });
    expect(contentLimits(config)).toMatchObject({
      professionalMaxBytes: 1000,
      patientMaxBytes: 500,
      patientTypes: ['application/pdf', 'image/png'],
    });
    expect(() =>
      loadConfig({ CARNET_DATA_DIR: dataDir, CARNET_PATIENT_UPLOAD_TYPES: 'application/rtf' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ CARNET_DATA_DIR: dataDir, CARNET_MAX_DOCUMENT_BYTES: '-3' })).toThrow(
      ConfigError,
    );
  });

  it('derives the document key in development, takes the given one, and requires it in production', () => {
    const dev = loadConfig({ CARNET_DATA_DIR: dataDir });
    expect(dev.documentKey.key.equals(deriveKey(dev, 'document'))).toBe(true);
    const given = Buffer.alloc(32, 9);
    const configured = loadConfig({
      CARNET_DATA_DIR: dataDir,
      CARNET_DOCUMENT_KEY: given.toString('base64'),
    });
    expect(configured.documentKey.key.equals(given)).toBe(true);
    expect(configured.documentKey.id).not.toBe(dev.documentKey.id);
    expect(() => loadConfig({ CARNET_DATA_DIR: dataDir, CARNET_DOCUMENT_KEY: 'c2hvcnQ=' })).toThrow(
      /32 bytes/,
    );
    const production = {
      CARNET_ENV: 'production',
      CARNET_BASE_URL: 'https://monespacesante.example',
      CARNET_DATA_DIR: dataDir,
      CARNET_SECRET: Buffer.alloc(32, 1).toString('base64'),
      CARNET_OIDC_ISSUER: 'https://psc.example',
      CARNET_OIDC_CLIENT_ID: 'carnet',
      CARNET_OIDC_CLIENT_SECRET: 'x',
      CARNET_SMTP_RELAY: 'relay.example:25',
      CARNET_SMTP_TLS_CERT: '/etc/carnet/smtp.crt',
      CARNET_SMTP_TLS_KEY: '/etc/carnet/smtp.key',
      CARNET_SMTP_CLIENT_CA: '/etc/carnet/igc-sante.pem',
      CARNET_SMTP_OPERATOR_DOMAINS: 'mssante.fr',
    };
    expect(() => loadConfig(production)).toThrow(/CARNET_DOCUMENT_KEY is required/);
    expect(
      loadConfig({ ...production, CARNET_DOCUMENT_KEY: given.toString('base64') }).documentKey.key,
    ).toEqual(given);
  });
});

describe('checkContent', () => {
  const l: ContentLimits = {
    professionalMaxBytes: 4000,
    patientMaxBytes: 2000,
    patientTypes: ['application/pdf', 'text/plain'],
    professionalTypes: ['application/pdf', 'text/plain', 'text/xml', 'image/png'],
  };
  const text = new TextEncoder().encode('Courrier du patient');

  it('returns the hash, size and sniffed format of accepted content', async () => {
    const pdf = await makePdf('ok');
    expect(checkContent(l, 'professional', pdf, 'application/pdf')).toEqual({
      hash: sha256Hex(pdf),
      size: pdf.length,
      contentType: 'application/pdf',
    });
    expect(checkContent(l, 'patient', text, 'text/plain; charset=utf-8').contentType).toBe('text/plain');
  });

  it('refuses a "PDF" that is not a PDF (415, content-type-mismatch)', () => {
    const error = thrown(() => checkContent(l, 'professional', text, 'application/pdf'));
    expect([error.status, error.code]).toEqual([415, 'content-type-mismatch']);
  });

  it('refuses content over the uploader’s limit (413)', () => {
    const big = new Uint8Array(2500).fill(0x61);
    expect(checkContent(l, 'professional', big).size).toBe(2500);
    const error = thrown(() => checkContent(l, 'patient', big));
    expect([error.status, error.code]).toEqual([413, 'content-too-large']);
    expect(error.message).toContain('Mo');
  });

  it('refuses a format the uploader may not send, and unknown bytes (415)', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    expect(checkContent(l, 'professional', png).contentType).toBe('image/png');
    expect(thrown(() => checkContent(l, 'patient', png)).code).toBe('content-type-unsupported');
    expect(thrown(() => checkContent(l, 'professional', Uint8Array.from([0, 1, 2, 0xff]))).status).toBe(415);
    expect(thrown(() => checkContent(l, 'professional', new Uint8Array(0))).code).toBe('content-empty');
  });
});
