import { useState } from 'react';
import { frenchDate } from '../../../shared/format.ts';
import { MaskedBadge, statusLabel } from '../../../shared/record-documents.tsx';
import {
  DocumentCard,
  FacetSelect,
  FilterCheck,
  Highlighted,
  PeriodFilter,
  RecordSearchForm,
  dateOf,
  noFacets,
  type ChangeFilters,
  type RecordFilters,
} from '../../../shared/record-search.tsx';
import type { EpisodeView, ProDocumentList, RecordDocumentView } from '../../../shared/record-types.ts';
import { episodeHeading, timelineOf } from './episodes.ts';
import { Link } from '../../../shared/router.ts';

/**
 * Documents a page shows: a few screens, whatever the record's size. The table of a wide screen holds fifty; the
 * cards of a phone (below 48rem, where styles.css swaps the table for cards) twenty, a card being taller.
 */
export const PAGE_SIZE = { wide: 50, phone: 20 } as const;

/** The page size for this screen, chosen once when the record opens (turning the phone does not re-page). */
export function usePageSize(): number {
  const [size] = useState(() =>
    window.matchMedia('(min-width: 48rem)').matches ? PAGE_SIZE.wide : PAGE_SIZE.phone,
  );
  return size;
}

export function RecordFiltersForm({
  filters,
  list,
  change,
}: {
  filters: RecordFilters;
  list: ProDocumentList | undefined;
  change: ChangeFilters;
}) {
  const facets = list?.facets ?? noFacets;
  return (
    <RecordSearchForm
      filters={filters}
      change={change}
      label="Rechercher et filtrer les documents"
      searchLabel="Rechercher dans le dossier"
      searchHint="Titre, type, auteur, établissement ou date (« sortie 2025 », « écho mars ») ; chaque mot compte."
    >
      <FacetSelect
        id="record-class"
        label="Catégorie"
        all="Toutes les catégories"
        values={facets.classes}
        value={filters.class}
        onChange={(v) => change({ class: v })}
      />
      <FacetSelect
        id="record-type"
        label="Type"
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
      <FacetSelect
        id="record-facility"
        label="Établissement"
        all="Tous les établissements"
        values={facets.facilities}
        value={filters.facility}
        onChange={(v) => change({ facility: v })}
      />
      <FacetSelect
        id="record-setting"
        label="Cadre d’exercice"
        all="Tous les cadres d’exercice"
        values={facets.settings}
        value={filters.setting}
        onChange={(v) => change({ setting: v })}
      />
      <PeriodFilter filters={filters} change={change} />
      <div className="record-checks">
        <FilterCheck id="record-unread" checked={filters.unread} onChange={(unread) => change({ unread })}>
          Pas encore ouverts par moi
        </FilterCheck>
        <FilterCheck
          id="record-since"
          checked={filters.sinceLastVisit}
          onChange={(sinceLastVisit) => change({ sinceLastVisit })}
        >
          Nouveaux depuis ma dernière visite
          {list?.lastVisitAt ? ` (le ${frenchDate(list.lastVisitAt)})` : ''}
        </FilterCheck>
      </div>
    </RecordSearchForm>
  );
}

function Badges({ doc }: { doc: RecordDocumentView }) {
  const badges = [
    doc.isNew && (
      <span key="new" className="badge badge-new">
        Non ouvert
      </span>
    ),
    doc.masked && <MaskedBadge key="masked" />,
    doc.invisiblePatient && (
      <span key="invisible" className="badge badge-soon">
        Invisible au patient
      </span>
    ),
    doc.ownDeposit && (
      <span key="own" className="badge">
        Déposé par vous
      </span>
    ),
    doc.status !== 'current' && (
      <span key="status" className="badge badge-soon">
        {statusLabel(doc.status)}
      </span>
    ),
  ].filter(Boolean);
  return badges.length > 0 ? <span className="badges">{badges}</span> : null;
}

const authorOf = (doc: RecordDocumentView) =>
  doc.uploadedByPatient
    ? 'Ajouté par le patient'
    : [doc.author.name, doc.author.profession].filter(Boolean).join(' · ');

function ProCard({ doc, words, href }: { doc: RecordDocumentView; words: readonly string[]; href: string }) {
  return (
    <DocumentCard
      doc={doc}
      date={dateOf(doc)}
      words={words}
      href={href}
      author={authorOf(doc)}
      badges={<Badges doc={doc} />}
    />
  );
}

/** One page of documents: a table on a wide screen, compact cards on a phone (the same rows). */
export function DocumentTable({
  documents,
  words,
  hrefOf,
}: {
  documents: readonly RecordDocumentView[];
  words: readonly string[];
  hrefOf: (doc: RecordDocumentView) => string;
}) {
  const hl = (text: string) => <Highlighted text={text} words={words} />;
  return (
    <>
      <ul className="document-cards" aria-label="Documents, du plus récent au plus ancien">
        {documents.map((doc) => (
          <ProCard key={doc.id} doc={doc} words={words} href={hrefOf(doc)} />
        ))}
      </ul>
      <div className="document-table-wide">
        <table className="document-table">
          <caption className="visually-hidden">Documents du dossier, du plus récent au plus ancien</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Type</th>
              <th scope="col">Titre</th>
              <th scope="col">Auteur</th>
              <th scope="col">Établissement</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((doc) => (
              <tr key={doc.id}>
                <td className="nowrap">{hl(dateOf(doc))}</td>
                <td>{hl(doc.typeDisplay)}</td>
                <td>
                  <Link href={hrefOf(doc)}>{hl(doc.title)}</Link> <Badges doc={doc} />
                </td>
                <td>{hl(doc.uploadedByPatient ? 'Ajouté par le patient' : doc.author.name)}</td>
                <td>{doc.uploadedByPatient ? '' : hl(doc.author.structure ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * The same page of documents as a timeline: by month of their date, in the list's order (newest first), the
 * documents of one stay or one submission gathered under their episode of care (episodes.ts).
 */
export function EpisodeTimeline({
  documents,
  episodes,
  words,
  hrefOf,
  showEpisode,
}: {
  documents: readonly RecordDocumentView[];
  episodes: readonly EpisodeView[];
  words: readonly string[];
  hrefOf: (doc: RecordDocumentView) => string;
  /** Lists one episode's documents alone (offered when this page shows part of it). */
  showEpisode: (episodeId: string) => void;
}) {
  const card = (doc: RecordDocumentView) => (
    <ProCard key={doc.id} doc={doc} words={words} href={hrefOf(doc)} />
  );
  return (
    <ol className="document-timeline">
      {timelineOf(documents, episodes).map((m, i) => (
        <li key={`${m.month}-${i}`}>
          <h3>{m.month}</h3>
          <ul className="document-cards-always">
            {m.entries.map((entry) => {
              if (entry.kind === 'document') return card(entry.document);
              const { title, detail } = episodeHeading(entry.episode, entry.documents.length);
              return (
                <li key={entry.episode.id} className="episode">
                  {/* Not a landmark: a record holds many stays, and a list item is not a region. */}
                  <h4>{title}</h4>
                  <p className="episode-detail">{detail}</p>
                  <ul className="document-cards-always">{entry.documents.map(card)}</ul>
                  {entry.documents.length < entry.episode.documentCount && (
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => showEpisode(entry.episode.id)}
                    >
                      {entry.episode.kind === 'encounter' ? 'Voir tout le séjour' : 'Voir tout l’envoi'} (
                      {entry.episode.documentCount} documents)
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ol>
  );
}

/** Table or timeline: how the page of documents is laid out (kept in the address too). */
export function ViewSwitch({
  timeline,
  onChange,
}: {
  timeline: boolean;
  onChange: (timeline: boolean) => void;
}) {
  return (
    <div className="view-switch" role="group" aria-label="Affichage des documents">
      <button
        type="button"
        className="button-secondary"
        aria-pressed={!timeline}
        onClick={() => onChange(false)}
      >
        Tableau
      </button>
      <button
        type="button"
        className="button-secondary"
        aria-pressed={timeline}
        onClick={() => onChange(true)}
      >
        Chronologie
      </button>
    </div>
  );
}

/** One episode listed alone: what it is, and the way back to the whole record. */
export function EpisodeShown({
  episode,
  showAll,
}: {
  episode: EpisodeView | undefined;
  showAll: () => void;
}) {
  const heading = episode ? episodeHeading(episode, episode.documentCount) : undefined;
  return (
    <div className="notice episode-shown" role="status">
      <p>
        {heading ? (
          <>
            <strong>{heading.title}</strong> · {heading.detail}
          </>
        ) : (
          'Documents d’un épisode de soins'
        )}
      </p>
      <button type="button" className="button-secondary" onClick={showAll}>
        Revenir à tout le dossier
      </button>
    </div>
  );
}
