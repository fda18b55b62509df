/**
 * Loads the development identity provider only when it is mounted: oidc-provider warns on import about
 * Node 20, and production never needs it.
 */
export const loadDevIdentityProvider = () => import('./provider.ts');
