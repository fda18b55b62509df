import { describe, expect, it } from 'vitest';
import { parseOperatorDomains } from '../config/index.ts';
import { certificateDomains, isCertifiedSender, isOperatorAddress } from './operator-domains.ts';

describe('the MSSanté operators white list', () => {
  it('parses a comma list, lower-cased, and reports what is not a domain', () => {
    expect(parseOperatorDomains(' Cabinet.MSSante.fr, aphp.mssante.fr,,')).toEqual({
      domains: ['cabinet.mssante.fr', 'aphp.mssante.fr'],
      invalid: [],
    });
    expect(parseOperatorDomains('mssante.fr, not a domain, @x.fr').invalid).toEqual([
      'not a domain',
      '@x.fr',
    ]);
    expect(parseOperatorDomains(undefined).domains).toEqual([]);
  });

  it('accepts a listed domain and its sub-domains, nothing that merely ends with the same letters', () => {
    const list = ['mssante.fr', 'ch-lyon.fr'];
    expect(isOperatorAddress(list, 'dr.martin@cabinet.mssante.fr')).toBe(true);
    expect(isOperatorAddress(list, 'secretariat@CH-LYON.FR')).toBe(true);
    expect(isOperatorAddress(list, 'x@evilmssante.fr')).toBe(false);
    expect(isOperatorAddress(list, 'x@mssante.fr.evil.com')).toBe(false);
    expect(isOperatorAddress(list, '')).toBe(false);
    expect(isOperatorAddress(list, 'no-at-sign')).toBe(false);
    expect(isOperatorAddress([], 'dr.martin@cabinet.mssante.fr')).toBe(false);
  });

  it('names a certificate by its DNS subjectAltNames, else its CN, and binds senders to them', () => {
    const hopital = certificateDomains({
      subject: { CN: 'Hopital' },
      subjectaltname: 'DNS:Hopital.mssante.fr, IP Address:10.0.0.1, DNS:*.chu.example',
    });
    expect(hopital).toEqual(['hopital.mssante.fr', '*.chu.example']);
    expect(certificateDomains({ subject: { CN: 'cabinet.mssante.fr' } })).toEqual(['cabinet.mssante.fr']);
    expect(certificateDomains({ subject: null })).toEqual([]);
    expect(isCertifiedSender(hopital, 'dr.durand@hopital.mssante.fr')).toBe(true);
    expect(isCertifiedSender(hopital, 'x@cardio.hopital.mssante.fr')).toBe(true);
    expect(isCertifiedSender(hopital, 'x@lyon.chu.example')).toBe(true);
    expect(isCertifiedSender(hopital, 'x@chu.example')).toBe(false);
    expect(isCertifiedSender(hopital, 'dr.martin@cabinet.mssante.fr')).toBe(false);
    expect(isCertifiedSender(hopital, 'x@evilhopital.mssante.fr')).toBe(false);
    expect(isCertifiedSender([], 'dr.durand@hopital.mssante.fr')).toBe(false);
  });
});
