import { contextScopes, purposes, scopesOfPurposes, type PurposeCode } from '../catalogue/index.ts';

/**
 * SMART scopes in either syntax (v1 `patient/Observation.write`, v2 `patient/Observation.c`) as the v1 scopes
 * the catalogue's purposes are written in: v2 `c`, `u` or `d` need write, `r` or `s` need read.
 */
export function normalizedScopes(requested: string): string[] {
  const out = new Set<string>();
  for (const scope of requested.split(/\s+/).filter(Boolean)) {
    const match = /^(patient|user)\/([A-Za-z*]+)\.([a-z*]+)$/.exec(scope);
    if (!match) {
      out.add(scope);
      continue;
    }
    const [, , resource, permission] = match as unknown as [string, string, string, string];
    const v1 = permission === 'read' || permission === 'write' || permission === '*';
    const reads = v1 ? permission !== 'write' : /[rs]/.test(permission);
    const writes = v1 ? permission !== 'read' : /[cud]/.test(permission);
    if (reads) out.add(`patient/${resource}.read`);
    if (writes) out.add(`patient/${resource}.write`);
  }
  return [...out];
}

/**
 * The purposes a request asks for: those whose scopes it names (any of them), among the ones the service was
 * referenced for and its client may be granted. The patient then consents to each, or not.
 */
export function requestedPurposes(
  scopes: readonly string[],
  servicePurposes: readonly PurposeCode[],
  clientScopes: readonly string[],
): PurposeCode[] {
  return purposes
    .filter(
      (p) =>
        servicePurposes.includes(p.code) &&
        p.scopes.some((s) => scopes.includes(s)) &&
        p.scopes.every((s) => clientScopes.includes(s)),
    )
    .map((p) => p.code);
}

/** Scopes that ask for no health data: kept in the grant when asked. */
export const contextScopesOf = (scopes: readonly string[]): string[] =>
  contextScopes.filter((s) => scopes.includes(s));

export const grantedScope = (purposeCodes: readonly PurposeCode[], context: readonly string[]): string =>
  [...context, ...scopesOfPurposes(purposeCodes)].join(' ');
