import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { frenchDateTime } from '../shared/data.ts';
import type { EmergencyView } from '../../src/http/contracts/record-api.ts';

/**
 * The professional's access to one patient's record (GET /api/pro/patients/:id/emergency), inferred from its
 * contract; `regulator`: signed in as a SAMU regulator, only then is the regulation mode offered.
 */
export type Access = EmergencyView;
export type AccessMode = Access['mode'];
export type EmergencyMode = Exclude<AccessMode, 'normal'>;
export interface EmergencyProps {
  readonly access: Access;
  readonly setAccess: (access: Access) => void;
}

export const normalAccess = (regulator = false): Access => ({
  mode: 'normal',
  reason: null,
  startedAt: null,
  endsAt: null,
  regulator,
});

export const emergencyApi = (patientId: string) =>
  `/api/pro/patients/${encodeURIComponent(patientId)}/emergency`;

export const modeLabels: Readonly<Record<AccessMode, string>> = {
  normal: 'Accès normal',
  'bris-de-glace': 'Accès en urgence (bris de glace)',
  'centre-de-regulation': 'Accès du centre de régulation (SAMU – centre 15)',
};

/**
 * The emergency access to the patient of the page, read from the server: it belongs to that patient's record
 * only, so every other patient's pages show none.
 */
export function usePatientAccess(patientId: string | undefined): EmergencyProps {
  const [access, setAccess] = useState<Access>(normalAccess());
  useEffect(() => {
    setAccess(normalAccess());
    if (!patientId) return;
    let current = true;
    api<Access>('GET', emergencyApi(patientId))
      .then((loaded) => current && setAccess(loaded))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [patientId]);
  return { access, setAccess };
}

/** Shown on the pages of the patient concerned while an emergency access runs: every access is traced and notified. */
export function EmergencyBanner({ access }: { access: Access }) {
  if (access.mode === 'normal') return null;
  return (
    <div className="emergency-banner" role="status">
      <strong>{modeLabels[access.mode]} en cours sur ce dossier.</strong>
      {access.reason && <> Motif : {access.reason}.</>}
      {access.endsAt && <> Jusqu’au {frenchDateTime(access.endsAt)}.</>} Chaque consultation est tracée et le
      patient en est informé par e-mail.
    </div>
  );
}
