import { useEffect, useRef, useState, type ReactNode } from 'react';
import type {
  MessageHitView,
  ProfileHitView,
  SpaceSearchView,
} from '../../../../src/http/contracts/overview-api.ts';
import { frenchDateTime, useLatest } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { frenchDate } from '../../../shared/format.ts';
import { Loading, Page } from '../../../shared/page.tsx';
import { DocumentCard, Highlighted, TYPING_DELAY_MS, dateOf } from '../../../shared/record-search.tsx';
import { Link, navigate, useRoute } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { documentHref } from '../record/folders.tsx';
import { recordApi } from '../record/record-nav.tsx';
import { spaceSearchHref } from './space-search-form.tsx';

/** Of each kind, what a phone shows in a few screens; the documents' list holds the rest. */
const HITS_SHOWN = 5;

/** The record page searching its documents for the same words. */
const documentsSearchHref = (q: string) => `/dossier-medical?${new URLSearchParams({ q }).toString()}`;
const threadHref = (id: string) => `/messagerie/conversation?id=${encodeURIComponent(id)}`;
const sectionHref = (section: string) => `/dossier-medical/profil?section=${encodeURIComponent(section)}`;

/**
 * « Rechercher dans mon espace »: the documents, the messages and the medical profile of the profile on screen
 * (one's own, or a child's), searched as one types. The words are kept in the address; a newer search cancels the
 * older request, and the previous answer stays on screen until the next one comes.
 */
export function SpaceSearchPage(props: SignedInProps) {
  const q = useRoute().query.get('q') ?? '';
  const [text, setText] = useState(q);
  const typed = useRef(q);
  // Back and forward change the address: the box follows it.
  useEffect(() => {
    if (q !== typed.current.trim()) {
      typed.current = q;
      setText(q);
    }
  }, [q]);
  useEffect(() => {
    if (text === typed.current) return;
    typed.current = text;
    // Typing replaces the address: back leaves the page rather than replaying each word.
    const timer = setTimeout(
      () => navigate(spaceSearchHref(text), { replace: true, keepScroll: true }),
      TYPING_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [text]);

  const path = q.trim()
    ? recordApi(
        props.profile,
        `/search?${new URLSearchParams({ q: q.trim(), count: String(HITS_SHOWN) }).toString()}`,
      )
    : undefined;
  const { state, shownPath } = useLatest<SpaceSearchView>(path);
  return (
    <Page title="Rechercher dans mon espace" app={appName}>
      <ProfileSwitcher {...props} />
      <form
        role="search"
        className="space-search-form"
        aria-label="Mon espace"
        onSubmit={(e) => e.preventDefault()}
      >
        <label htmlFor="space-q">Rechercher dans mes documents, mes messages et mon profil médical</label>
        <input
          id="space-q"
          type="search"
          value={text}
          autoComplete="off"
          enterKeyHint="search"
          aria-describedby="space-q-hint"
          onChange={(e) => setText(e.target.value)}
        />
        <p className="hint" id="space-q-hint">
          {
            'Un titre, un médecin, un mot d’un message, une allergie ou un traitement (« pénicilline », « bilan »).'
          }
        </p>
      </form>
      {path === undefined ? null : state.status === 'loading' ? (
        <Loading />
      ) : state.status === 'failed' ? (
        <Alert message={state.message} />
      ) : (
        <Results q={q.trim()} found={state.data} busy={shownPath !== path} />
      )}
    </Page>
  );
}

function Results({ q, found, busy }: { q: string; found: SpaceSearchView; busy: boolean }) {
  const { words, documents, messages, profile } = found;
  const total = documents.total + (messages?.total ?? 0) + profile.total;
  const summary =
    words.length === 0
      ? 'Tapez un mot d’au moins deux lettres.'
      : total === 0
        ? `Aucun résultat pour « ${q} »`
        : `${total} résultat${total > 1 ? 's' : ''} pour « ${q} »`;
  return (
    <div className="space-search-results">
      <p className="record-count" role="status" aria-busy={busy}>
        {summary}
      </p>
      {total === 0 && words.length > 0 && messages === null && <MessagingClosed />}
      {total > 0 && (
        <>
          <section aria-labelledby="space-documents">
            <h2 id="space-documents">Documents ({documents.total})</h2>
            {documents.items.length === 0 ? (
              <p className="hint">Aucun document ne contient ces mots.</p>
            ) : (
              <ul className="document-list" aria-label="Documents trouvés, du plus récent au plus ancien">
                {documents.items.map((doc) => (
                  <DocumentCard
                    key={doc.id}
                    doc={doc}
                    date={dateOf(doc, 'date inconnue, ')}
                    words={words}
                    href={documentHref(doc.id)}
                    author={
                      doc.uploadedByPatient
                        ? 'Ajouté par vous'
                        : [doc.author.name, doc.author.profession].filter(Boolean).join(' · ')
                    }
                    badges={doc.isNew ? <span className="badge badge-new">Nouveau</span> : null}
                  />
                ))}
              </ul>
            )}
            {documents.total > documents.items.length && (
              <p>
                <Link href={documentsSearchHref(q)}>Voir les {documents.total} documents</Link>
              </p>
            )}
          </section>
          <section aria-labelledby="space-messages">
            <h2 id="space-messages">{messages ? `Messages (${messages.total})` : 'Messages'}</h2>
            {messages === null ? (
              <MessagingClosed />
            ) : (
              <>
                <HitList
                  label="Messages trouvés, du plus récent au plus ancien"
                  empty="Aucun message ne contient ces mots."
                  items={messages.items}
                >
                  {(m) => <MessageHit key={m.messageId} hit={m} words={words} />}
                </HitList>
                <More total={messages.total} shown={messages.items.length} />
              </>
            )}
          </section>
          <section aria-labelledby="space-profile">
            <h2 id="space-profile">Mon profil médical ({profile.total})</h2>
            <HitList
              label="Informations trouvées dans mon profil médical"
              empty="Aucune information de mon profil médical ne contient ces mots."
              items={profile.items}
            >
              {(p) => <ProfileHit key={p.id} hit={p} words={words} />}
            </HitList>
            <More total={profile.total} shown={profile.items.length} />
          </section>
        </>
      )}
    </div>
  );
}

function MessagingClosed() {
  return (
    <p className="hint">
      La messagerie de ce profil n’est pas encore ouverte : il n’y a pas encore de messages où chercher.
    </p>
  );
}

function HitList<T>({
  label,
  empty,
  items,
  children,
}: {
  label: string;
  empty: string;
  items: readonly T[];
  children: (item: T) => ReactNode;
}) {
  return items.length === 0 ? (
    <p className="hint">{empty}</p>
  ) : (
    <ul className="document-list" aria-label={label}>
      {items.map(children)}
    </ul>
  );
}

/** More found than shown, where no list of that kind searches further: say so, so the words can be narrowed. */
function More({ total, shown }: { total: number; shown: number }) {
  return total > shown ? (
    <p className="hint">
      {shown} affichés sur {total} : précisez votre recherche pour voir les autres.
    </p>
  ) : null;
}

function MessageHit({ hit, words }: { hit: MessageHitView; words: readonly string[] }) {
  const hl = (text: string) => <Highlighted text={text} words={words} />;
  return (
    <li className="document-card">
      <p className="document-card-top">
        <span>{frenchDateTime(hit.receivedAt)}</span>
        <span>{hit.direction === 'inbound' ? 'Reçu' : 'Envoyé'}</span>
      </p>
      <p className="document-card-title">
        <Link href={threadHref(hit.threadId)}>{hl(hit.subject || '(sans objet)')}</Link>
      </p>
      <p className="hint">{hl(hit.from)}</p>
      <p className="space-search-excerpt">{hl(hit.excerpt)}</p>
    </li>
  );
}

function ProfileHit({ hit, words }: { hit: ProfileHitView; words: readonly string[] }) {
  return (
    <li className="document-card">
      <p className="document-card-top">
        <span>{hit.sectionLabel}</span>
        <span>{frenchDate(hit.date)}</span>
      </p>
      <p className="document-card-title">
        <Link href={sectionHref(hit.section)}>
          <Highlighted text={hit.label} words={words} />
        </Link>
      </p>
    </li>
  );
}
