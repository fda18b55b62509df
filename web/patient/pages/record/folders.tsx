import { useEffect, useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { useLoad } from '../../../shared/data.ts';
import { frenchDate } from '../../../shared/format.ts';
import { Alert, Field, SubmitButton, useForm } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { TYPING_DELAY_MS } from '../../../shared/record-search.tsx';
import type {
  DocumentList,
  FoldersView,
  FolderView,
  RecordDocumentView,
} from '../../../shared/record-types.ts';
import { Link, navigate } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName, type Profile } from '../../types.ts';
import { recordApi } from './record-nav.tsx';

/**
 * Personal folders and pinned documents (src/record/folders.ts): the patient's own way of sorting their record,
 * seen by nobody else. A folder holds links only: taking a document out of it, or deleting the folder, leaves
 * the document in the record.
 */

export const documentHref = (id: string) => `/dossier-medical/document?id=${encodeURIComponent(id)}`;
export const folderHref = (id: string) => `/dossier-medical/dossier?id=${encodeURIComponent(id)}`;
const countLabel = (n: number) => (n === 0 ? 'vide' : n === 1 ? '1 document' : `${n} documents`);

/** Short lines for a document card: what it is and when. */
function DocumentLine({ doc }: { doc: RecordDocumentView }) {
  return (
    <p className="hint">
      {doc.typeDisplay} · {frenchDate(doc.createdAt)}
    </p>
  );
}

/**
 * The pinned documents, first on the documents page: a short shelf of links (the same documents stay in the list
 * of all documents below, marked « Épinglé »).
 */
export function PinnedDocuments({ documents }: { documents: readonly RecordDocumentView[] }) {
  if (documents.length === 0) return null;
  return (
    <section className="card" aria-labelledby="pinned-title">
      <h2 id="pinned-title">
        Documents épinglés <span className="count">({documents.length})</span>
      </h2>
      <ul className="folder-list">
        {documents.map((doc) => (
          <li key={doc.id}>
            <Link href={documentHref(doc.id)}>{doc.title}</Link>{' '}
            {doc.isNew && <span className="badge badge-new">Nouveau</span>}
            <DocumentLine doc={doc} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The patient's folders, each a link to its documents, and a form to create one. */
export function FolderShelf({ profile }: { profile: Profile }) {
  const { state, reload } = useLoad<FoldersView>(recordApi(profile, '/folders'));
  const [name, setName] = useState('');
  const form = useForm(
    async (values) => {
      await api('POST', recordApi(profile, '/folders'), { name: values.name ?? '' });
      setName('');
      await reload();
    },
    (code) => (code.startsWith('folder') ? 'name' : undefined),
  );
  return (
    <section className="card" aria-labelledby="folders-title">
      <h2 id="folders-title">Mes dossiers</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' &&
        (state.data.folders.length === 0 ? (
          <p className="hint">
            Rangez vos documents dans des dossiers à vous (« Grossesse », « Suivi cardiologie »…). Vous seul
            les voyez.
          </p>
        ) : (
          <ul className="folder-list">
            {state.data.folders.map((folder) => (
              <li key={folder.id}>
                <Link href={folderHref(folder.id)}>{folder.name}</Link>{' '}
                <span className="count">({countLabel(folder.documentIds.length)})</span>
              </li>
            ))}
          </ul>
        ))}
      <form onSubmit={form.onSubmit} noValidate className="inline-form">
        <Alert id={form.errorId} message={form.error} />
        <Field
          name="name"
          label="Nom du nouveau dossier"
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          errorId={form.errorFor('name')}
        />
        <SubmitButton busy={form.busy}>Créer le dossier</SubmitButton>
      </form>
    </section>
  );
}

/**
 * On a document's page: pin it, and file it in (or take it out of) the patient's folders, one checkbox each.
 */
export function DocumentOrganisation({ profile, doc }: { profile: Profile; doc: RecordDocumentView }) {
  const { state, reload } = useLoad<FoldersView>(recordApi(profile, '/folders'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const run = (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    work()
      .then(() => reload())
      .then(() => setDone(message))
      .catch((caught: unknown) => setError(messageOf(caught)))
      .finally(() => setBusy(false));
  };
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'failed') return <Alert message={state.message} />;
  const pinned = state.data.pinnedIds.includes(doc.id);
  const id = encodeURIComponent(doc.id);
  return (
    <section className="card" aria-labelledby="organise-title">
      <h2 id="organise-title">Classement</h2>
      <p className="hint">Vos dossiers et vos épingles ne sont visibles que par vous.</p>
      <Alert message={error} />
      <p role="status">{done}</p>
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          aria-pressed={pinned}
          disabled={busy}
          onClick={() =>
            run(
              () => api(pinned ? 'DELETE' : 'PUT', recordApi(profile, `/pins/${id}`)),
              pinned ? 'Document désépinglé.' : 'Document épinglé en tête de vos documents.',
            )
          }
        >
          {pinned ? 'Désépingler' : 'Épingler en tête de mes documents'}
        </button>
      </div>
      {state.data.folders.length === 0 ? (
        <p>
          Vous n’avez pas encore de dossier. <Link href="/dossier-medical">Créer un dossier</Link>
        </p>
      ) : (
        <fieldset>
          <legend>Ranger dans mes dossiers</legend>
          {state.data.folders.map((folder) => {
            const filed = folder.documentIds.includes(doc.id);
            const folderPath = `/folders/${encodeURIComponent(folder.id)}/documents/${id}`;
            return (
              <div key={folder.id} className="choice">
                <input
                  id={`folder-${folder.id}`}
                  type="checkbox"
                  checked={filed}
                  disabled={busy}
                  onChange={() =>
                    run(
                      () => api(filed ? 'DELETE' : 'PUT', recordApi(profile, folderPath)),
                      filed ? `Retiré du dossier « ${folder.name} ».` : `Rangé dans « ${folder.name} ».`,
                    )
                  }
                />
                <label htmlFor={`folder-${folder.id}`}>{folder.name}</label>
              </div>
            );
          })}
        </fieldset>
      )}
    </section>
  );
}

/** One folder: its documents, adding others from the record, renaming it, deleting it. */
export function FolderPage(props: SignedInProps & { id: string }) {
  const path = recordApi(props.profile, `/folders/${encodeURIComponent(props.id)}`);
  const { state, reload } = useLoad<{ folder: FolderView; documents: RecordDocumentView[] }>(
    `${path}/documents`,
  );
  const title = state.status === 'loaded' ? state.data.folder.name : 'Dossier';
  return (
    <Page title={title} app={appName}>
      <p>
        <Link href="/dossier-medical">← Tous mes documents</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && (
        <>
          <FolderDocuments
            path={path}
            documents={state.data.documents}
            reload={reload}
            name={state.data.folder.name}
          />
          <AddToFolder profile={props.profile} path={path} folder={state.data.folder} reload={reload} />
          <FolderSettings path={path} folder={state.data.folder} reload={reload} />
        </>
      )}
    </Page>
  );
}

function FolderDocuments({
  path,
  documents,
  reload,
  name,
}: {
  path: string;
  documents: RecordDocumentView[];
  reload: () => Promise<void>;
  name: string;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const remove = (doc: RecordDocumentView) => {
    setBusy(true);
    setError(undefined);
    api('DELETE', `${path}/documents/${encodeURIComponent(doc.id)}`)
      .then(() => reload())
      .catch((caught: unknown) => setError(messageOf(caught)))
      .finally(() => setBusy(false));
  };
  return (
    <section aria-labelledby="folder-documents-title">
      <h2 id="folder-documents-title">
        Documents du dossier <span className="count">({documents.length})</span>
      </h2>
      <Alert message={error} />
      {documents.length === 0 ? (
        <p className="notice">Ce dossier est vide : ajoutez-y des documents ci-dessous.</p>
      ) : (
        <ul className="document-list">
          {documents.map((doc) => (
            <li key={doc.id} className="card document-item">
              <h3>
                <Link href={documentHref(doc.id)}>{doc.title}</Link>
              </h3>
              <DocumentLine doc={doc} />
              <button
                type="button"
                className="button-secondary"
                disabled={busy}
                aria-label={`Retirer du dossier « ${name} » : ${doc.title}`}
                onClick={() => remove(doc)}
              >
                Retirer du dossier
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** How many of the record's documents the folder page offers to add at once, newest first. */
const ADD_PAGE = 20;

/**
 * The record's documents not yet in the folder, to tick and add: found by a search (the record's own), newest
 * first, and loaded only once « Ajouter des documents » is unfolded (a record may hold a thousand).
 */
function AddToFolder({
  profile,
  path,
  folder,
  reload,
}: {
  profile: Profile;
  path: string;
  folder: FolderView;
  reload: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const query = new URLSearchParams({ view: 'list', count: String(ADD_PAGE) });
  if (q) query.set('q', q);
  const { state } = useLoad<DocumentList>(
    open ? `${recordApi(profile, '/documents')}?${query.toString()}` : undefined,
  );
  const form = useForm(async (values) => {
    const ids = Object.keys(values).filter((key) => values[key] === 'on');
    for (const id of ids) await api('PUT', `${path}/documents/${encodeURIComponent(id)}`);
    await reload();
  });
  const others =
    state.status === 'loaded'
      ? (state.data.documents ?? []).filter((doc) => !folder.documentIds.includes(doc.id))
      : [];
  return (
    <details className="card" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Ajouter des documents à ce dossier</summary>
      <div className="field">
        <label htmlFor="add-q">Chercher un document</label>
        <p className="hint" id="add-q-hint">
          Les {ADD_PAGE} plus récents qui correspondent, hors ceux déjà dans le dossier.
        </p>
        <input
          id="add-q"
          type="search"
          value={text}
          autoComplete="off"
          aria-describedby="add-q-hint"
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {open && state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' &&
        (others.length === 0 ? (
          <p className="notice">Aucun autre document ne correspond.</p>
        ) : (
          <form onSubmit={form.onSubmit} noValidate>
            <Alert id={form.errorId} message={form.error} />
            <fieldset>
              <legend>Documents de votre dossier médical</legend>
              {others.map((doc) => (
                <div key={doc.id} className="choice">
                  <input id={`add-${doc.id}`} name={doc.id} type="checkbox" />
                  <label htmlFor={`add-${doc.id}`}>
                    {doc.title} <span className="hint">({frenchDate(doc.createdAt)})</span>
                  </label>
                </div>
              ))}
            </fieldset>
            <SubmitButton busy={form.busy}>Ajouter au dossier</SubmitButton>
          </form>
        ))}
    </details>
  );
}

function FolderSettings({
  path,
  folder,
  reload,
}: {
  path: string;
  folder: FolderView;
  reload: () => Promise<void>;
}) {
  const rename = useForm(
    async (values) => {
      await api('PUT', path, { name: values.name ?? '' });
      await reload();
    },
    (code) => (code.startsWith('folder') ? 'name' : undefined),
  );
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const remove = () =>
    api('DELETE', path)
      .then(() => navigate('/dossier-medical'))
      .catch((caught: unknown) => setError(messageOf(caught)));
  return (
    <section className="card" aria-labelledby="folder-settings-title">
      <h2 id="folder-settings-title">Gérer ce dossier</h2>
      <form onSubmit={rename.onSubmit} noValidate>
        <Alert id={rename.errorId} message={rename.error} />
        <Field
          name="name"
          label="Nom du dossier"
          maxLength={60}
          defaultValue={folder.name}
          key={folder.name}
          errorId={rename.errorFor('name')}
        />
        <SubmitButton busy={rename.busy}>Renommer</SubmitButton>
      </form>
      <Alert message={error} />
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="confirm-folder-delete">
          <p id="confirm-folder-delete">
            <strong>Supprimer le dossier « {folder.name} » ?</strong> Ses documents restent dans votre dossier
            médical.
          </p>
          <div className="actions">
            <button type="button" className="button-danger" onClick={() => void remove()}>
              Oui, supprimer le dossier
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Annuler
            </button>
          </div>
        </div>
      ) : (
        <p className="actions">
          <button type="button" className="button-danger" onClick={() => setConfirming(true)}>
            Supprimer ce dossier
          </button>
        </p>
      )}
    </section>
  );
}
