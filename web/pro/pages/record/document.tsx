import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { DocumentContent, DocumentFacts, MaskedBadge } from '../../../shared/record-documents.tsx';
import type { RecordDocumentView } from '../../../shared/record-types.ts';
import { Link, navigate } from '../../../shared/router.ts';
import { appName } from '../../types.ts';
import { DepositForm } from './deposit-form.tsx';
import { patientApi, recordHref } from './record-links.ts';

export function ProDocumentPage({ patientId, ins, id }: { patientId: string; ins: string; id: string }) {
  const { state } = useLoad<RecordDocumentView>(
    patientApi(patientId, `/documents/${encodeURIComponent(id)}`),
  );
  const doc = state.status === 'loaded' ? state.data : undefined;
  return (
    <Page title={doc?.title ?? 'Document'} app={appName}>
      <p>
        <Link href={recordHref(patientId, ins)}>← Documents du patient</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {doc && (
        <>
          {doc.masked && (
            <p>
              <MaskedBadge /> Vous le voyez en tant qu'auteur ou administrateur du dossier.
            </p>
          )}
          <DocumentFacts doc={doc} />
          <DocumentContent doc={doc} />
          {doc.ownDeposit && doc.status === 'current' && (
            <section className="card" aria-labelledby="replace-title">
              <h2 id="replace-title">Remplacer par une nouvelle version</h2>
              <p className="hint">L'ancienne version reste dans le dossier, marquée comme remplacée.</p>
              <DepositForm
                action={patientApi(patientId, `/documents/${encodeURIComponent(doc.id)}/replace`)}
                replaces={doc}
                onDone={(next) =>
                  navigate(
                    `/pro/dossier/document?patient=${encodeURIComponent(patientId)}&ins=${encodeURIComponent(ins)}&id=${encodeURIComponent(next.id)}`,
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
