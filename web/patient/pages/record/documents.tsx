import { useEffect, useRef, useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { postForm, useLoad } from '../../../shared/data.ts';
import { Alert, Field, SubmitButton, useForm } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import {
  DocumentContent,
  DocumentFacts,
  DocumentGroups,
  MaskedBadge,
} from '../../../shared/record-documents.tsx';
import type { DocumentList, RecordDocumentView, UploadOptions } from '../../../shared/record-types.ts';
import { Link, navigate } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { attentionChanged } from '../../overview.ts';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { RecordNav, recordApi } from './record-nav.tsx';
import { DocumentOrganisation, FolderShelf, PinnedDocuments } from './folders.tsx';

export function DocumentsPage(props: SignedInProps) {
  const { state } = useLoad<DocumentList>(recordApi(props.profile, '/documents'));
  return (
    <Page title="Dossier médical" app={appName}>
      <ProfileSwitcher {...props} />
      <RecordNav current="/dossier-medical" />
      <p className="actions">
        <Link className="button" href="/dossier-medical/ajouter">
          Ajouter un document
        </Link>
      </p>
      {/* The patient's own organisation comes first: what they pinned, then their folders. */}
      <PinnedDocuments profile={props.profile} />
      <FolderShelf profile={props.profile} />
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && (
        <DocumentGroups
          list={state.data}
          hrefOf={(doc) => `/dossier-medical/document?id=${encodeURIComponent(doc.id)}`}
          empty="Votre dossier ne contient encore aucun document."
        />
      )}
    </Page>
  );
}

export function DocumentPage(props: SignedInProps & { id: string }) {
  const path = recordApi(props.profile, `/documents/${encodeURIComponent(props.id)}`);
  const { state, reload } = useLoad<RecordDocumentView>(path);
  const title = state.status === 'loaded' ? state.data.title : 'Document';
  // Opened, it is no longer « Nouveau »: the tab bar's count drops.
  useEffect(() => {
    if (state.status === 'loaded') attentionChanged();
  }, [state.status]);
  return (
    <Page title={title} app={appName}>
      <p>
        <Link href="/dossier-medical">← Tous mes documents</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && (
        <>
          <DocumentFacts doc={state.data} />
          <DocumentActions doc={state.data} path={path} reload={reload} />
          <DocumentOrganisation profile={props.profile} doc={state.data} />
          <DocumentContent doc={state.data} />
        </>
      )}
    </Page>
  );
}

function DocumentActions({
  doc,
  path,
  reload,
}: {
  doc: RecordDocumentView;
  path: string;
  reload: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    work()
      .then(() => reload())
      .catch((caught: unknown) => setError(messageOf(caught)))
      .finally(() => setBusy(false));
  };
  const remove = () => {
    setBusy(true);
    api('DELETE', path)
      .then(() => navigate('/dossier-medical'))
      .catch((caught: unknown) => {
        setError(messageOf(caught));
        setBusy(false);
      });
  };
  return (
    <section className="card" aria-labelledby="visibility-title">
      <h2 id="visibility-title">Visibilité</h2>
      <Alert message={error} />
      <p role="status">
        {doc.masked ? (
          <>
            <MaskedBadge /> Seuls vous, son auteur et vos médecins administrateurs le voient.
          </>
        ) : (
          <span className="badge">Visible par les professionnels autorisés</span>
        )}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          disabled={busy}
          onClick={() => run(() => api('POST', `${path}/${doc.masked ? 'unmask' : 'mask'}`))}
        >
          {doc.masked ? 'Rendre visible aux professionnels' : 'Masquer aux professionnels'}
        </button>
        {doc.uploadedByPatient && !confirming && (
          <button type="button" className="button-danger" disabled={busy} onClick={() => setConfirming(true)}>
            Supprimer ce document
          </button>
        )}
      </div>
      {confirming && (
        <div className="confirm" role="group" aria-labelledby="confirm-delete">
          <p id="confirm-delete">
            <strong>Supprimer « {doc.title} » de votre dossier ?</strong> Il ne sera plus visible par
            personne.
          </p>
          <div className="actions">
            <button type="button" className="button-danger" disabled={busy} onClick={remove}>
              Oui, supprimer
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Annuler
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Today in France, as a date field's `max` (YYYY-MM-DD). */
const frenchToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

const formatNames: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'text/plain': 'texte',
  'text/xml': 'XML',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/tiff': 'TIFF',
};
const accepted: Readonly<Record<string, string>> = {
  'application/pdf': '.pdf,application/pdf',
  'text/plain': '.txt,text/plain',
  'text/xml': '.xml',
  'image/jpeg': '.jpg,.jpeg,image/jpeg',
  'image/png': '.png,image/png',
  'image/tiff': '.tif,.tiff,image/tiff',
};

export function UploadPage(props: SignedInProps) {
  const base = recordApi(props.profile, '');
  const { state } = useLoad<UploadOptions>(`${base}/upload-options`);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm(
    async () => {
      if (!formRef.current) return;
      const doc = await postForm<RecordDocumentView>(`${base}/documents`, new FormData(formRef.current));
      navigate(`/dossier-medical/document?id=${encodeURIComponent(doc.id)}`);
    },
    (code) =>
      code.startsWith('title')
        ? 'title'
        : code.startsWith('type')
          ? 'type'
          : code.startsWith('date')
            ? 'date'
            : 'file',
  );
  if (state.status !== 'loaded')
    return (
      <Page title="Ajouter un document" app={appName}>
        {state.status === 'failed' ? <Alert message={state.message} /> : <Loading />}
      </Page>
    );
  const options = state.data;
  const formats = options.formats.map((f) => formatNames[f] ?? f).join(', ');
  return (
    <Page title="Ajouter un document" app={appName}>
      <p>
        <Link href="/dossier-medical">← Tous mes documents</Link>
      </p>
      <p>
        Un document papier de plusieurs pages ?{' '}
        <Link href="/dossier-medical/photos">Photographiez-le page par page</Link>
      </p>
      <form ref={formRef} onSubmit={form.onSubmit} noValidate encType="multipart/form-data">
        <Alert id={form.errorId} message={form.error} />
        <Field
          name="title"
          label="Titre du document"
          required
          maxLength={256}
          errorId={form.errorFor('title')}
        />
        <div className="field">
          <label htmlFor="upload-type">Type de document</label>
          <select id="upload-type" name="type" required aria-describedby={form.errorFor('type')}>
            {options.types.map((t) => (
              <option key={t.code} value={t.code}>
                {t.display}
              </option>
            ))}
          </select>
        </div>
        <Field
          name="date"
          type="date"
          label="Date du document"
          optional
          hint="Le jour de l’examen, de la consultation ou du courrier. Laissez vide si vous ne la connaissez pas."
          max={frenchToday()}
          errorId={form.errorFor('date')}
        />
        <Field
          name="file"
          type="file"
          label="Fichier"
          hint={`Formats acceptés : ${formats}. Taille maximale : ${Math.floor(options.maxBytes / (1024 * 1024))} Mo.`}
          accept={options.formats.map((f) => accepted[f] ?? f).join(',')}
          required
          errorId={form.errorFor('file')}
        />
        <SubmitButton busy={form.busy}>Ajouter à mon dossier</SubmitButton>
      </form>
      <p className="hint">
        Les documents que vous ajoutez sont visibles par les professionnels autorisés, sauf si vous les
        masquez.
      </p>
    </Page>
  );
}
