import { useCallback, useEffect, useState } from 'react';
import { api } from '../shared/api.ts';

export type AccessMode = 'normal' | 'bris-de-glace' | 'centre-de-regulation';
export interface Access {
  readonly mode: AccessMode;
  readonly reason: string | null | undefined;
}
export interface EmergencyProps {
  readonly access: Access;
  readonly setAccess: (access: Access) => void;
}

export const modeLabels: Readonly<Record<AccessMode, string>> = {
  normal: 'Accès normal',
  'bris-de-glace': 'Accès en urgence (bris de glace)',
  'centre-de-regulation': 'Accès du centre de régulation (SAMU – centre 15)',
};

/** The session's access mode, read from the server so that it survives reloads and holds for the whole session. */
export function useAccess(signedIn: boolean): EmergencyProps {
  const [access, setAccess] = useState<Access>({ mode: 'normal', reason: null });
  const load = useCallback(() => {
    api<Access>('GET', '/api/pro/emergency')
      .then(setAccess)
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (signedIn) load();
  }, [signedIn, load]);
  return { access, setAccess };
}

/** Shown on every page while the session is in an emergency mode: every access is traced and notified. */
export function EmergencyBanner({ access }: { access: Access }) {
  if (access.mode === 'normal') return null;
  return (
    <div className="emergency-banner" role="status">
      <strong>{modeLabels[access.mode]} en cours.</strong> Motif : {access.reason ?? '—'}. Chaque consultation
      est tracée et le patient en est informé par e-mail.
    </div>
  );
}
