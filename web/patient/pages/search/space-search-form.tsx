import { useState, type FormEvent } from 'react';
import { navigate } from '../../../shared/router.ts';

/** The page's address for a search (the words kept in it, so that back and a shared link find them again). */
export const spaceSearchHref = (q: string): string =>
  q.trim() ? `/recherche?${new URLSearchParams({ q: q.trim() }).toString()}` : '/recherche';

/**
 * The search box of the patient's home: the words go to the search page, which searches as one types.
 * A landmark of its own, so a screen reader's « search » key finds it.
 */
export function SpaceSearchForm() {
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(spaceSearchHref(text));
  };
  return (
    <form role="search" className="space-search-form" aria-label="Mon espace" onSubmit={submit}>
      <label htmlFor="space-q-home">Rechercher dans mon espace</label>
      <div className="space-search-row">
        <input
          id="space-q-home"
          type="search"
          value={text}
          autoComplete="off"
          enterKeyHint="search"
          aria-describedby="space-q-home-hint"
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button">
          Rechercher
        </button>
      </div>
      <p className="hint" id="space-q-home-hint">
        Documents, messages et profil médical.
      </p>
    </form>
  );
}
