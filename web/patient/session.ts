import { useCallback, useEffect, useState } from 'react';
import { api, isUnauthenticated } from '../shared/api.ts';
import type { Me, Profile, Session } from './types.ts';

/** Who is signed in, read from `/api/patient/me`; `refresh` re-reads it after a change. */
export function useSession(): { session: Session; refresh: () => Promise<void>; signedOut: () => void } {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const refresh = useCallback(async () => {
    try {
      setSession({ status: 'signed-in', me: await api<Me>('GET', '/api/patient/me') });
    } catch (error) {
      if (isUnauthenticated(error)) setSession({ status: 'signed-out' });
      else throw error;
    }
  }, []);
  useEffect(() => {
    refresh().catch(() => setSession({ status: 'signed-out' }));
  }, [refresh]);
  return { session, refresh, signedOut: () => setSession({ status: 'signed-out' }) };
}

/** The profiles the signed-in person acts for: their own, then their children's. */
export const profilesOf = (me: Me): readonly Profile[] => [me.self, ...me.managed];

const DESTINATION_KEY = 'carnet.destination';

/** Where to go once signed in; only a path of this site (never another origin). */
export function rememberDestination(path: string): void {
  if (path.startsWith('/') && !path.startsWith('//') && path !== '/connexion') {
    sessionStorage.setItem(DESTINATION_KEY, path);
  }
}

export function takeDestination(): string | undefined {
  const path = sessionStorage.getItem(DESTINATION_KEY) ?? undefined;
  sessionStorage.removeItem(DESTINATION_KEY);
  return path && path.startsWith('/') && !path.startsWith('//') ? path : undefined;
}
