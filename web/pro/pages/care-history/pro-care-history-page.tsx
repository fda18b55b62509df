import { useEffect, useState } from 'react';
import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import {
  CareFilters,
  CareList,
  careQuery,
  emptyFilter,
  type CareFilter,
  type CareHistory,
} from '../../../patient/pages/care-history/care-history-view.tsx';
import { appName } from '../../types.ts';
import { patientApi, recordHref } from '../record/record-links.ts';
import { PatientBanner, patientTitle, usePatientIdentity } from '../record/patient-banner.tsx';

/** Why the history is not shown, in the professional's words. */
const refusalHints: Readonly<Record<string, string>> = {
  masked:
    'Le patient a masqué son histoire de santé : seuls les professionnels qu’il a désignés administrateurs de son dossier la consultent.',
  habilitation:
    'Votre profession n’a pas accès aux données de remboursement (matrice d’habilitation du DMP).',
  'consent-required': 'Déclarez d’abord le consentement du patient depuis son dossier.',
};

/** The patient's reimbursed care ("Histoire de santé"), read-only, as the policy allows this professional. */
export function ProCareHistoryPage({ patientId, ins: insInLink }: { patientId: string; ins: string }) {
  const [filter, setFilter] = useState<CareFilter>(emptyFilter);
  const [offset, setOffset] = useState(0);
  const patient = usePatientIdentity(patientId);
  // The INS of the link, until the record's own identity is read (a link may carry none).
  const ins = patient?.ins ?? insInLink;
  const { state } = useLoad<CareHistory>(patientApi(patientId, `/care-history${careQuery(filter, offset)}`));
  const [shown, setShown] = useState<CareHistory>();
  useEffect(() => {
    if (state.status === 'loaded') setShown(state.data);
  }, [state]);
  const code = state.status === 'failed' ? state.error?.code : undefined;
  return (
    <Page title={patientTitle('Histoire de santé', patient, 'Histoire de santé du patient')} app={appName}>
      <PatientBanner patient={patient} />
      <p>
        <Link href={recordHref(patientId, ins)}>← Dossier du patient</Link>
      </p>
      <p className="lead">Soins remboursés par l’Assurance Maladie (données de remboursement).</p>
      {state.status === 'loading' && !shown && <Loading />}
      {/* The policy's generic refusal speaks of "a document": the history's own reason is clearer. */}
      {state.status === 'failed' && <Alert message={(code && refusalHints[code]) || state.message} />}
      {shown && state.status !== 'failed' && (
        <>
          {shown.masked && (
            <p className="notice">
              <span className="badge badge-masked">Masquée</span> Le patient a masqué son histoire de santé ;
              vous la voyez parce qu’il vous a désigné administrateur de son dossier (un administrateur voit
              aussi ce que le patient a masqué).
            </p>
          )}
          {shown.facets.years.length === 0 ? (
            <p className="notice">Aucun soin remboursé n’a été transmis par l’Assurance Maladie.</p>
          ) : (
            <>
              <CareFilters
                history={shown}
                filter={filter}
                onChange={(next) => {
                  setFilter(next);
                  setOffset(0);
                }}
              />
              <CareList history={shown} offset={offset} onOffset={setOffset} showRpps />
            </>
          )}
        </>
      )}
    </Page>
  );
}
