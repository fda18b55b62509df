import { useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { Alert, Notice } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import type { ProDocumentList } from '../../../shared/record-types.ts';
import { Link } from '../../../shared/router.ts';
import type { EmergencyProps } from '../../emergency.tsx';
import { appName } from '../../types.ts';
import { DepositForm } from './deposit-form.tsx';
import { EmergencyControl } from './emergency-control.tsx';
import { PatientBanner, patientTitle, usePatientIdentity } from './patient-banner.tsx';
import { PatientSummaryLink } from './patient-summary-link.tsx';
import { patientApi, recordSubHref } from './record-links.ts';
import {
  DocumentTable,
  EpisodeShown,
  EpisodeTimeline,
  RecordFiltersForm,
  ViewSwitch,
  usePageSize,
} from './record-search.tsx';
import {
  Pager,
  documentsCount,
  episodeOnly,
  hasFilters,
  shownRange,
  useRecordDocuments,
} from '../../../shared/record-search.tsx';

/** One patient's record as the policy lets this professional see it, with deposit and emergency access. */
export function PatientRecordPage({
  patientId,
  ins,
  ...emergency
}: EmergencyProps & { patientId: string; ins: string }) {
  // By the record's id: a page opened by its link (no INS in it) still names its patient.
  const patient = usePatientIdentity(patientId);
  const pageSize = usePageSize();
  const { filters, state, refreshing, reload, change } = useRecordDocuments<ProDocumentList>(
    patientApi(patientId, '/documents'),
    pageSize,
  );
  const [deposited, setDeposited] = useState<string>();
  const insOf = patient?.ins ?? ins;
  const code = state.status === 'failed' ? state.error?.code : undefined;
  const blocked = code === 'blocked';
  return (
    <Page title={patientTitle('Dossier médical partagé', patient, 'Dossier médical partagé')} app={appName}>
      <PatientBanner patient={patient} />
      <p>
        <Link href={`/pro/patient?ins=${encodeURIComponent(insOf)}`}>← Fiche du patient</Link>
      </p>
      <nav className="sub-nav" aria-label="Dossier du patient">
        <ul>
          <li>
            <Link href={recordSubHref('/pro/dossier/profil', patientId, insOf)}>Profil médical</Link>
          </li>
          <li>
            <Link href={recordSubHref('/pro/dossier/histoire-de-sante', patientId, insOf)}>
              Histoire de santé
            </Link>
          </li>
          <li>
            <Link href={recordSubHref('/pro/dossier/vsm', patientId, insOf)}>Volet de synthèse médicale</Link>
          </li>
          <li>
            <PatientSummaryLink patientId={patientId} />
          </li>
        </ul>
      </nav>
      {state.status === 'loading' && <Loading />}
      {(code === 'consent-required' ||
        (state.status === 'loaded' && state.data.ownDocumentsOnly === true)) && (
        <ConsentPanel patientId={patientId} onDeclared={reload} />
      )}
      {blocked && (
        <div className="alert" role="alert">
          {state.status === 'failed' && state.message} Vous ne pouvez ni consulter ni alimenter ce dossier.
        </div>
      )}
      {state.status === 'failed' && !blocked && code !== 'consent-required' && (
        <Alert message={state.message} />
      )}
      {state.status === 'loaded' && (
        <section aria-labelledby="documents-title">
          <h2 id="documents-title">
            {state.data.ownDocumentsOnly ? 'Vos dépôts' : 'Documents'} ({state.data.total})
          </h2>
          {state.data.ownDocumentsOnly && (
            <p className="notice">
              Sans l’accord du patient, vous ne voyez que les documents que vous avez déposés.
            </p>
          )}
          {state.data.hiddenByMatrix > 0 && (
            <p className="notice matrix-hidden">
              {state.data.hiddenByMatrix === 1
                ? `1 document de ce dossier ne vous est pas accessible en tant que ${state.data.profession}.`
                : `${state.data.hiddenByMatrix} documents de ce dossier ne vous sont pas accessibles en tant que ${state.data.profession}.`}{' '}
              La matrice d’habilitation des professions de santé ne permet pas à votre profession de les
              consulter.
            </p>
          )}
          <RecordFiltersForm filters={filters} list={state.data} change={change} />
          {filters.episode && (
            <EpisodeShown
              episode={state.data.episodes?.find((e) => e.id === filters.episode)}
              showAll={() => change({ episode: '' })}
            />
          )}
          <p className="record-count" role="status" aria-busy={refreshing}>
            {documentsCount(state.data.total)}
            {shownRange(state.data)}
          </p>
          {(state.data.documents ?? []).length === 0 ? (
            <p className="notice">
              {state.data.total === 0 && !hasFilters(filters)
                ? 'Aucun document de ce dossier ne vous est accessible.'
                : 'Aucun document ne correspond à votre recherche.'}
            </p>
          ) : (
            <>
              <ViewSwitch
                timeline={filters.timeline}
                onChange={(timeline) => change({ timeline, page: filters.page })}
              />
              {filters.timeline ? (
                <EpisodeTimeline
                  documents={state.data.documents ?? []}
                  episodes={state.data.episodes ?? []}
                  words={state.data.words ?? []}
                  showEpisode={(episode) => change({ ...episodeOnly(episode), timeline: true })}
                  hrefOf={(doc) =>
                    `/pro/dossier/document?patient=${encodeURIComponent(patientId)}&ins=${encodeURIComponent(insOf)}&id=${encodeURIComponent(doc.id)}`
                  }
                />
              ) : (
                <DocumentTable
                  documents={state.data.documents ?? []}
                  words={state.data.words ?? []}
                  hrefOf={(doc) =>
                    `/pro/dossier/document?patient=${encodeURIComponent(patientId)}&ins=${encodeURIComponent(insOf)}&id=${encodeURIComponent(doc.id)}`
                  }
                />
              )}
            </>
          )}
          <Pager
            total={state.data.total}
            page={filters.page}
            pageSize={pageSize}
            onPage={(page) => change({ page })}
          />
        </section>
      )}
      {!blocked && (
        <section className="card" aria-labelledby="deposit-title">
          <h2 id="deposit-title">Déposer un document</h2>
          {deposited && <Notice>Le document « {deposited} » a été déposé dans le dossier.</Notice>}
          <DepositForm
            action={patientApi(patientId, '/documents')}
            onDone={(doc) => {
              setDeposited(doc.title);
              void reload();
            }}
          />
        </section>
      )}
      {!blocked && <EmergencyControl patientId={patientId} {...emergency} onChange={() => void reload()} />}
    </Page>
  );
}

function ConsentPanel({ patientId, onDeclared }: { patientId: string; onDeclared: () => Promise<void> }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const declare = () => {
    setBusy(true);
    api('POST', patientApi(patientId, '/consent'))
      .then(onDeclared)
      .catch((caught: unknown) => setError(messageOf(caught)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="card consent" aria-labelledby="consent-title">
      <h2 id="consent-title">Accord du patient nécessaire</h2>
      <p>
        Vous ne faites pas encore partie de l’équipe de soins de ce patient. Pour consulter son dossier, vous
        devez avoir recueilli son accord : informez-le, puis déclarez-le ci-dessous. Cette déclaration est
        enregistrée et visible par le patient.
      </p>
      <p className="hint">Vous pouvez déposer un document sans cet accord.</p>
      <Alert message={error} />
      <button type="button" className="button" disabled={busy} onClick={declare}>
        Le patient m’a donné son accord
      </button>
    </section>
  );
}
