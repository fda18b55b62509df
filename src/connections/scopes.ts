import { contextScopes, purposes, scopesOfPurposes, type PurposeCode } from '../catalogue/index.ts';

/**
 * A patient-level SMART data scope, v1 (`patient/Observation.write`) or v2 (`patient/Observation.c`, letters in
 * the order c r u d s). Carnet serves standalone patient launches only: `user/` scopes are not granted.
 */
const DATA_SCOPE = /^patient\/([A-Za-z]+|\*)\.(read|write|\*|c?r?u?d?s?)$/;

/** The v1 permission (the catalogue's purposes are written in v1) each v2 letter needs. */
const v1PermissionOf = (letter: string): 'read' | 'write' => ('rs'.includes(letter) ? 'read' : 'write');

/** The v1 permissions a v1 or v2 permission stands for: v2 `c`, `u` or `d` need write, `r` or `s` need read. */
function v1Permissions(permission: string): ('read' | 'write')[] {
  if (permission === '*') return ['read', 'write'];
  if (permission === 'read' || permission === 'write') return [permission];
  return [...new Set([...permission].map(v1PermissionOf))];
}

/** The scopes of a request's `scope` parameter, each once, in the order asked. */
export const requestedScopes = (scope: string): string[] => [...new Set(scope.split(/\s+/).filter(Boolean))];

/** Data scopes as the v1 scopes the catalogue's purposes are written in: what they ask, purpose-wise. */
export function normalizedScopes(scopes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const scope of scopes) {
    const match = DATA_SCOPE.exec(scope);
    if (!match) continue;
    for (const permission of v1Permissions(match[2]!)) out.add(`patient/${match[1]!}.${permission}`);
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
  const asked = normalizedScopes(scopes);
  return purposes
    .filter(
      (p) =>
        servicePurposes.includes(p.code) &&
        p.scopes.some((s) => asked.includes(s)) &&
        p.scopes.every((s) => clientScopes.includes(s)),
    )
    .map((p) => p.code);
}

/** Scopes that ask for no health data: kept in the grant when asked. */
export const contextScopesOf = (scopes: readonly string[]): string[] =>
  contextScopes.filter((s) => scopes.includes(s));

/**
 * The data scopes granted for the consented purposes: each as the app asked for it, never widened (asked
 * `patient/Observation.c`, granted `patient/Observation.c`, not `.write`). A scope reaching beyond the consented
 * purposes is narrowed to what they cover (`Observation.cruds` with only writing consented is `Observation.cud`),
 * or dropped.
 */
export function grantedDataScopes(asked: readonly string[], consented: readonly PurposeCode[]): string[] {
  const covered = scopesOfPurposes(consented);
  const granted = new Set<string>();
  for (const scope of asked) {
    const match = DATA_SCOPE.exec(scope);
    if (!match) continue;
    const [, resource, permission] = match as unknown as [string, string, string];
    const allowed = (v1: 'read' | 'write') => covered.includes(`patient/${resource}.${v1}`);
    const kept = v1Permissions(permission).filter(allowed);
    if (kept.length === 0) continue;
    if (kept.length === v1Permissions(permission).length) granted.add(scope);
    else if (permission === '*') granted.add(`patient/${resource}.${kept[0]!}`);
    else
      granted.add(
        `patient/${resource}.${[...permission].filter((l) => allowed(v1PermissionOf(l))).join('')}`,
      );
  }
  return [...granted];
}
