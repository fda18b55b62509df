import { useEffect, useRef, useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { postForm, useLoad } from '../../../shared/data.ts';
import { Alert, Field, SubmitButton, useForm } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import {
  DocumentContent,
  DocumentFacts,
  MaskedBadge,
  statusLabel,
} from '../../../shared/record-documents.tsx';
import {
  DocumentCard,
  FacetSelect,
  FilterCheck,
  Pager,
  PeriodFilter,
  RecordSearchForm,
  dateOf,
  documentsCount,
  hasFilters,
  noFacets,
  shownRange,
  useRecordDocuments,
} from '../../../shared/record-search.tsx';
import type { DocumentList, RecordDocumentView, UploadOptions } from '../../../shared/record-types.ts';
import { Link, navigate } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { attentionChanged } from '../../overview.ts';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { RecordNav, recordApi } from './record-nav.tsx';
import { DocumentOrganisation, FolderShelf, PinnedDocuments, documentHref } from './folders.tsx';
import { spaceSearchHref } from '../search/space-search-form.tsx';
import { UploadDescriptionFields } from './upload-fields.tsx';

/** Cards a page shows: a few screens of a phone, whatever the record's size. */
const PAGE_SIZE = 20;

/**
 * The patient's documents, searchable as the portal's: a search box and filters first (kept in the address),
 * then, when nothing is searched, the patient's own shortcuts (pins, folders), and all the documents, newest
 * first, a page at a time. While searching, only the results show, right under the box.
 */
export function DocumentsPage(props: SignedInProps) {
  const base = recordApi(props.profile, '/documents');
  const { filters, state, refreshing, change } = useRecordDocuments<DocumentList>(base, PAGE_SIZE);
  const searching = hasFilters(filters);
  // Searching, the count says « sur » the whole record: its size, without filters.
  const { state: whole } = useLoad<DocumentList>(searching ? `${base}?view=list&count=1` : undefined);
  const { state: pins } = useLoad<{ documents: RecordDocumentView[] }>(recordApi(props.profile, '/pins'));
  const pinnedIds = new Set(pins.status === 'loaded' ? pins.data.documents.map((d) => d.id) : []);
  const list = state.status === 'loaded' ? state.data : undefined;
  const facets = list?.facets ?? noFacets;
  const recordTotal = whole.status === 'loaded' ? whole.data.total : undefined;
  return (
    <Page title="Dossier médical" app={appName}>
      <ProfileSwitcher {...props} />
      <RecordNav current="/dossier-medical" />
      <p className="actions">
        <Link className="button" href="/dossier-medical/ajouter">
          Ajouter un document
        </Link>
      </p>
      <RecordSearchForm
        filters={filters}
        change={change}
        label="Rechercher et filtrer mes documents"
        searchLabel="Rechercher dans mes documents"
        searchHint="Titre, type, médecin, établissement ou date (« ordonnance 2024 », « radio pied »)."
      >
        <FacetSelect
          id="record-class"
          label="Catégorie de document"
          all="Toutes les catégories"
          values={facets.classes}
          value={filters.class}
          onChange={(v) => change({ class: v })}
        />
        <FacetSelect
          id="record-type"
          label="Type de document"
          all="Tous les types"
          values={facets.types}
          value={filters.type}
          onChange={(v) => change({ type: v })}
        />
        <FacetSelect
          id="record-author"
          label="Auteur"
          all="Tous les auteurs"
          values={facets.authors}
          value={filters.author}
          onChange={(v) => change({ author: v })}
        />
        <PeriodFilter filters={filters} change={change} />
        <div className="record-checks">
          <FilterCheck id="record-unread" checked={filters.unread} onChange={(unread) => change({ unread })}>
            Non lus seulement
          </FilterCheck>
        </div>
      </RecordSearchForm>
      <p className="space-search-link">
        <Link href={spaceSearchHref(filters.q)}>
          Rechercher aussi dans mes messages et mon profil médical
        </Link>
      </p>
      {/* The patient's own organisation, while nothing is searched: a short shelf of pins, then the folders. */}
      {!searching && pins.status === 'loaded' && <PinnedDocuments documents={pins.data.documents} />}
      {!searching && <FolderShelf profile={props.profile} />}
      <section aria-labelledby="documents-title">
        <h2 id="documents-title">{searching ? 'Résultats de la recherche' : 'Tous mes documents'}</h2>
        {state.status === 'loading' && <Loading />}
        {state.status === 'failed' && <Alert message={state.message} />}
        {list && (
          <>
            <p
              className="record-count"
              role="status"
              aria-busy={refreshing || (searching && whole.status === 'loading')}
            >
              {documentsCount(list.total)}
              {searching && recordTotal !== undefined && ` sur ${recordTotal.toLocaleString('fr-FR')}`}
              {shownRange(list)}
            </p>
            {(list.documents ?? []).length === 0 ? (
              <p className="notice">
                {searching
                  ? 'Aucun document ne correspond à votre recherche.'
                  : 'Votre dossier ne contient encore aucun document.'}
              </p>
            ) : (
              <ul className="document-list" aria-label="Documents, du plus récent au plus ancien">
                {(list.documents ?? []).map((doc) => (
                  <DocumentCard
                    key={doc.id}
                    doc={doc}
                    date={dateOf(doc, 'date inconnue, ')}
                    words={list.words ?? []}
                    href={documentHref(doc.id)}
                    author={
                      doc.uploadedByPatient
                        ? 'Ajouté par vous'
                        : [doc.author.name, doc.author.profession].filter(Boolean).join(' · ')
                    }
                    badges={<PatientBadges doc={doc} pinned={pinnedIds.has(doc.id)} />}
                  />
                ))}
              </ul>
            )}
            <Pager
              total={list.total}
              page={filters.page}
              pageSize={PAGE_SIZE}
              onPage={(page) => change({ page })}
            />
          </>
        )}
      </section>
    </Page>
  );
}

function PatientBadges({ doc, pinned }: { doc: RecordDocumentView; pinned: boolean }) {
  const badges = [
    doc.isNew && (
      <span key="new" className="badge badge-new">
        Nouveau
      </span>
    ),
    pinned && (
      <span key="pinned" className="badge">
        Épinglé
      </span>
    ),
    doc.masked && <MaskedBadge key="masked" />,
    doc.status !== 'current' && (
      <span key="status" className="badge badge-soon">
        {statusLabel(doc.status)}
      </span>
    ),
  ].filter(Boolean);
  return badges.length > 0 ? <span className="badges">{badges}</span> : null;
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
        <UploadDescriptionFields form={form} types={options.types} typeId="upload-type" />
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
