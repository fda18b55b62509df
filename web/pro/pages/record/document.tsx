import { useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { useLoad } from '../../../shared/data.ts';
import { Alert, Notice } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { DocumentContent, DocumentFacts, MaskedBadge } from '../../../shared/record-documents.tsx';
import type { RecordDocumentView } from '../../../shared/record-types.ts';
import { Link, navigate } from '../../../shared/router.ts';
import { appName } from '../../types.ts';
import { CdaViewer } from './cda-viewer.tsx';
import { DepositForm } from './deposit-form.tsx';
import { PatientBanner, usePatientIdentity } from './patient-banner.tsx';
import { patientApi, recordHref } from './record-links.ts';

export function ProDocumentPage({ patientId, ins, id }: { patientId: string; ins: string; id: string }) {
  const patient = usePatientIdentity(patientId);
  const { state } = useLoad<RecordDocumentView>(
    patientApi(patientId, `/documents/${encodeURIComponent(id)}`),
  );
  const [changed, setChanged] = useState<RecordDocumentView>();
  const doc = changed ?? (state.status === 'loaded' ? state.data : undefined);
  const insOf = patient?.ins ?? ins;
  return (
    <Page title={doc?.title ?? 'Document'} app={appName}>
      <PatientBanner patient={patient} />
      <p>
        <Link href={recordHref(patientId, insOf)}>← Documents du patient</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {doc && (
        <>
          {doc.masked && (
            <p>
              <MaskedBadge /> Vous le voyez parce que vous en êtes l’auteur, ou parce que le patient vous a
              désigné administrateur de son dossier (un administrateur voit aussi ce que le patient a masqué).
            </p>
          )}
          <VisibilityToPatient patientId={patientId} doc={doc} onChange={setChanged} />
          <DocumentFacts doc={doc} />
          {doc.viewUrl ? <CdaDocument doc={doc} /> : <DocumentContent doc={doc} />}
          {doc.ownDeposit && doc.status === 'current' && (
            <section className="card" aria-labelledby="replace-title">
              <h2 id="replace-title">Remplacer par une nouvelle version</h2>
              <p className="hint">L’ancienne version reste dans le dossier, marquée comme remplacée.</p>
              <DepositForm
                action={patientApi(patientId, `/documents/${encodeURIComponent(doc.id)}/replace`)}
                replaces={doc}
                onDone={(next) =>
                  navigate(
                    `/pro/dossier/document?patient=${encodeURIComponent(patientId)}&ins=${encodeURIComponent(insOf)}&id=${encodeURIComponent(next.id)}`,
                    { replace: true },
                  )
                }
              />
            </section>
          )}
        </>
      )}
    </Page>
  );
}

/** A CDA R2 document read in the page, section by section, with its download. */
function CdaDocument({ doc }: { doc: RecordDocumentView }) {
  return (
    <section className="card document-content" aria-label="Contenu du document">
      <CdaViewer url={doc.viewUrl ?? ''} />
      <p>
        <a className="button-secondary" href={`${doc.contentUrl}?download=1`} download>
          Télécharger le document
        </a>
      </p>
    </section>
  );
}

/**
 * « Invisible au patient »: the document waits for the announcement consultation. Its author makes it visible
 * (the patient then sees it and is told by e-mail); the others are told it is not visible yet.
 */
function VisibilityToPatient({
  patientId,
  doc,
  onChange,
}: {
  patientId: string;
  doc: RecordDocumentView;
  onChange: (doc: RecordDocumentView) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  if (done && !doc.invisiblePatient)
    return <Notice>Le document est maintenant visible par le patient, qui en est prévenu par e-mail.</Notice>;
  if (!doc.invisiblePatient) return null;
  const reveal = () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    api<RecordDocumentView>('POST', patientApi(patientId, `/documents/${encodeURIComponent(doc.id)}/reveal`))
      .then((next) => {
        setDone(true);
        onChange(next);
      })
      .catch((caught: unknown) => setError(messageOf(caught)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="card invisible-patient" aria-labelledby="invisible-title">
      <h2 id="invisible-title">Invisible au patient</h2>
      <p>
        Le patient ne voit pas encore ce document.
        {doc.ownDeposit
          ? ' Rendez-le visible une fois que vous lui en avez parlé, par exemple lors de la consultation d’annonce : il en sera alors prévenu par e-mail.'
          : ' Son auteur le rendra visible après en avoir parlé avec lui.'}
      </p>
      <Alert message={error} />
      {doc.ownDeposit && (
        <button
          type="button"
          className="button"
          aria-disabled={busy || undefined}
          aria-busy={busy || undefined}
          onClick={reveal}
        >
          {busy ? 'Veuillez patienter…' : 'Rendre visible au patient'}
        </button>
      )}
    </section>
  );
}
