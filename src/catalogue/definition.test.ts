import { describe, expect, it } from 'vitest';
import { CarnetError } from '../shared/index.ts';
import { parseServiceDefinition } from './definition.ts';
import { purposesOfScopes, scopesOfPurposes } from './vocabulary.ts';

const valid = {
  id: 'mon-service',
  name: '  Mon Service ',
  editor: { name: 'Éditeur', url: 'https://editeur.example.fr' },
  summary: 'Résumé.',
  description: 'Description.',
  category: 'prevention',
  purposes: ['read-documents', 'read-documents', 'write-measurements'],
  dataExchanged: ['Documents'],
  links: {
    web: 'https://service.example.fr',
    appStore: 'https://apps.apple.com/fr/app/x/id1',
    googlePlay: 'https://play.google.com/store/apps/details?id=x',
  },
};

/** The field a refusal points at, or 'accepted'. */
function refusedField(change: Record<string, unknown>): string | undefined {
  try {
    parseServiceDefinition({ ...valid, ...change });
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(CarnetError);
    expect((error as CarnetError).kind).toBe('invalid');
    return (error as CarnetError).expression;
  }
}

describe('an operator’s service definition', () => {
  it('is trimmed, de-duplicated, online by default, and has no OAuth client unless given one', () => {
    const parsed = parseServiceDefinition(valid);
    expect(parsed).toMatchObject({
      name: 'Mon Service',
      purposes: ['read-documents', 'write-measurements'],
      initialStatus: 'online',
      oauth: undefined,
    });
  });

  it.each([
    [{ id: 'Mon Service' }, 'id'],
    [{ id: 'a'.repeat(65) }, 'id'],
    [{ name: ' ' }, 'name'],
    [{ editor: undefined }, 'editor'],
    [{ category: 'cosmetique' }, 'category'],
    [{ purposes: [] }, 'purposes'],
    [{ purposes: ['sell-data'] }, 'purposes[0]'],
    [{ dataExchanged: [] }, 'dataExchanged'],
    [{ dataExchanged: ['ok', ''] }, 'dataExchanged[1]'],
    [{ links: {} }, 'links'],
    [{ links: { web: 'http://service.example.fr' } }, 'links.web'],
    [{ links: { appStore: 'https://apps.example.com/x' } }, 'links.appStore'],
    [{ links: { googlePlay: 'https://evil.example/play.google.com' } }, 'links.googlePlay'],
    [{ status: 'suspended' }, 'status'],
    [{ oauth: { clientId: 'x', redirectUris: ['https://a.example.fr/cb'] } }, 'oauth.clientId'],
    [{ oauth: { clientId: 'abc', redirectUris: [] } }, 'oauth.redirectUris'],
    [{ oauth: { clientId: 'abc', redirectUris: ['http://a.example.fr/cb'] } }, 'oauth.redirectUris[0]'],
    [{ oauth: { clientId: 'abc', redirectUris: ['https://a.example.fr/cb#x'] } }, 'oauth.redirectUris[0]'],
    [{ oauth: { clientId: 'abc', redirectUris: ['/cb'] } }, 'oauth.redirectUris[0]'],
  ])('refuses %j at %s', (change, field) => {
    expect(refusedField(change)).toBe(field);
  });

  it('accepts http redirect URIs on the loopback interface only', () => {
    for (const uri of [
      'http://127.0.0.1:8090/callback',
      'http://localhost:3000/cb',
      'https://a.example.fr/cb',
    ])
      expect(refusedField({ oauth: { clientId: 'abc', redirectUris: [uri] } })).toBe('accepted');
  });

  it('grants by default the scopes of the declared purposes, and never a scope beyond them', () => {
    const parsed = parseServiceDefinition({
      ...valid,
      oauth: { clientId: 'abc', redirectUris: ['https://a.example.fr/cb'] },
    });
    expect(parsed.oauth?.scopes).toEqual([
      'launch/patient',
      'patient/DocumentReference.read',
      'patient/Observation.write',
    ]);
    expect(
      refusedField({
        oauth: {
          clientId: 'abc',
          redirectUris: ['https://a.example.fr/cb'],
          scopes: ['openid', 'patient/Observation.read'],
        },
      }),
    ).toBe('oauth.scopes[1]');
  });

  it('maps purposes to scopes and back', () => {
    expect(purposesOfScopes(scopesOfPurposes(['read-profile', 'write-agenda']))).toEqual([
      'read-profile',
      'write-agenda',
    ]);
    // A purpose is granted only when every one of its scopes is.
    expect(purposesOfScopes(['patient/Condition.read'])).toEqual([]);
  });
});
