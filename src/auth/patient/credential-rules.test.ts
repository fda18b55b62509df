import { describe, expect, it } from 'vitest';
import { checkLogin, checkPassword, isStrongPassword } from './credential-rules.ts';
import { maskEmail } from './mask-email.ts';
import {
  hashPassword,
  verifyPassword,
  DECOY_PASSWORD_HASH,
  PASSWORD_HASH_COST,
  setPasswordHashCostForTests,
} from './password.ts';

// The suite's setup makes hashes cheap; this file checks the cost production uses.
setPasswordHashCostForTests(PASSWORD_HASH_COST);

describe('credentials', () => {
  it('stores logins lower-cased and refuses bad ones', () => {
    expect(checkLogin(' Jean.Dupont@Mail ')).toBe('jean.dupont@mail');
    for (const bad of ['ab', 'a'.repeat(65), 'jean dupont', 'élodie', 'x/y'])
      expect(() => checkLogin(bad)).toThrow(expect.objectContaining({ code: 'login-invalid' }));
  });

  it('wants 12 characters with a letter and a digit', () => {
    expect(isStrongPassword('correcthorse1')).toBe(true);
    expect(isStrongPassword('Éléphant-rosé-9')).toBe(true);
    expect(isStrongPassword('short1')).toBe(false);
    expect(isStrongPassword('onlyletterslong')).toBe(false);
    expect(isStrongPassword('123456789012')).toBe(false);
    expect(() => checkPassword('weak')).toThrow(expect.objectContaining({ code: 'password-weak' }));
  });

  it('masks e-mail addresses', () => {
    expect(maskEmail('claire@exemple.fr')).toBe('c•••@exemple.fr');
    expect(maskEmail('nobody')).toBe('•••');
  });

  it('hashes passwords with salted scrypt and verifies them', async () => {
    const hash = await hashPassword('correcthorse1');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword('correcthorse1')).not.toBe(hash);
    expect(await verifyPassword('correcthorse1', hash)).toBe(true);
    expect(await verifyPassword('correcthorse2', hash)).toBe(false);
    expect(await verifyPassword('anything', DECOY_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword('anything', 'plain')).toBe(false);
  });
});
