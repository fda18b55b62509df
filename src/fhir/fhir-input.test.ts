import { describe, expect, it } from 'vitest';
import { CarnetError } from '../shared/index.ts';
import { base64Bytes } from './fhir-input.ts';

const refusal = (value: unknown) => {
  try {
    base64Bytes(value, 'Binary.data');
  } catch (error) {
    return error instanceof CarnetError ? `${error.code} at ${error.expression}` : error;
  }
  return 'accepted';
};

describe('base64Bytes', () => {
  const content = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));

  it('reads a content sent in one line, or wrapped in lines as MIME writes it', () => {
    const oneLine = content.toString('base64');
    expect(Buffer.from(base64Bytes(oneLine, 'data')).equals(content)).toBe(true);
    const wrapped = oneLine.replace(/.{76}/g, '$&\r\n');
    expect(Buffer.from(base64Bytes(wrapped, 'data')).equals(content)).toBe(true);
    expect(Buffer.from(base64Bytes('', 'data')).length).toBe(0);
  });

  it('accepts padding whose unused bits are not zero, as before', () => {
    expect([...base64Bytes('QR==', 'data')]).toEqual([0x41]);
  });

  it('refuses what is not base64, naming the element', () => {
    for (const bad of ['QQ=', 'QQ==QQ==', 'Q-==', 'Q_==', 'QQ!=', 'é===', 42, undefined]) {
      expect(refusal(bad)).toBe('base64-invalid at Binary.data');
    }
  });
});
