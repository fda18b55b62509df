import { useEffect, useRef } from 'react';
import { frenchDate } from '../../../shared/format.ts';
/** "Mon histoire de santé" as the API gives it (patient and portal alike), inferred from its contract. */
import type { CareHistory, CareItem } from '../../../../src/http/contracts/insurer-api.ts';

export type { CareHistory, CareItem };

export interface CareFilter {
  readonly year: string;
  readonly month: string;
  readonly category: string;
}

export const emptyFilter: CareFilter = { year: '', month: '', category: '' };
export const CARE_PAGE_SIZE = 50;

const monthNames = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
const monthName = (month: string) => monthNames[Number(month) - 1] ?? month;

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

export function careQuery(filter: CareFilter, offset: number): string {
  const params = new URLSearchParams();
  if (filter.year) params.set('year', filter.year);
  if (filter.year && filter.month) params.set('month', filter.month);
  if (filter.category) params.set('category', filter.category);
  params.set('count', String(CARE_PAGE_SIZE));
  params.set('offset', String(offset));
  return `?${params.toString()}`;
}

/** Year and month as selects, categories as toggle buttons, each with its count. */
export function CareFilters({
  history,
  filter,
  onChange,
}: {
  history: CareHistory;
  filter: CareFilter;
  onChange: (filter: CareFilter) => void;
}) {
  const { years, months, categories } = history.facets;
  return (
    <form className="care-filters" aria-label="Parcourir les soins" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="care-year">Année</label>
        <select
          id="care-year"
          value={filter.year}
          onChange={(e) => onChange({ ...filter, year: e.target.value, month: '' })}
        >
          <option value="">Toutes les années</option>
          {years.map((y) => (
            <option key={y.year} value={y.year}>
              {y.year} ({y.count})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="care-month">Mois</label>
        <select
          id="care-month"
          value={filter.month}
          disabled={!filter.year}
          aria-describedby={filter.year ? undefined : 'care-month-hint'}
          onChange={(e) => onChange({ ...filter, month: e.target.value })}
        >
          <option value="">Tous les mois</option>
          {months.map((m) => (
            <option key={m.month} value={m.month}>
              {monthName(m.month)} ({m.count})
            </option>
          ))}
        </select>
        {!filter.year && (
          <span id="care-month-hint" className="hint block">
            Choisissez d’abord une année.
          </span>
        )}
      </div>
      <fieldset className="care-categories">
        <legend>Catégorie de soins</legend>
        <button
          type="button"
          className="button-secondary"
          aria-pressed={filter.category === ''}
          onClick={() => onChange({ ...filter, category: '' })}
        >
          Toutes
        </button>
        {categories.map((c) => (
          <button
            key={c.category}
            type="button"
            className="button-secondary"
            aria-pressed={filter.category === c.category}
            onClick={() =>
              onChange({ ...filter, category: filter.category === c.category ? '' : c.category })
            }
          >
            {c.label} ({c.count})
          </button>
        ))}
      </fieldset>
    </form>
  );
}

/** The care lines grouped by month, newest first, with paging. */
export function CareList({
  history,
  offset,
  onOffset,
  showRpps = false,
}: {
  history: CareHistory;
  offset: number;
  onOffset: (offset: number) => void;
  /** Professionals identify a colleague by RPPS; patients read a name. */
  showRpps?: boolean;
}) {
  // After « Plus anciens » or « Plus récents », the keyboard and the screen go to the top of the new page.
  const count = useRef<HTMLParagraphElement>(null);
  const paged = useRef(false);
  useEffect(() => {
    if (!paged.current) return;
    paged.current = false;
    count.current?.focus();
    count.current?.scrollIntoView({ block: 'start' });
  }, [history]);
  const page = (next: number) => {
    paged.current = true;
    onOffset(next);
  };
  const groups = new Map<string, CareItem[]>();
  for (const item of history.items) {
    const key = item.date.slice(0, 7);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  if (history.total === 0) return <p className="notice">Aucun soin remboursé ne correspond à ce choix.</p>;
  return (
    <>
      <p className="count" role="status" ref={count} tabIndex={-1}>
        {history.total} {history.total > 1 ? 'soins remboursés' : 'soin remboursé'}
        {history.total > CARE_PAGE_SIZE ? `, ${offset + 1} à ${offset + history.items.length} affichés` : ''}
      </p>
      {[...groups].map(([key, items]) => (
        <section key={key} className="care-month" aria-labelledby={`care-${key}`}>
          <h2 id={`care-${key}`}>
            {monthName(key.slice(5, 7))} {key.slice(0, 4)}
          </h2>
          <ul className="care-list">
            {items.map((item) => (
              <li key={item.id} className="care-item">
                <p className="care-head">
                  <time dateTime={item.date}>{frenchDate(item.date)}</time>
                  <span className={`badge care-${item.category}`}>{item.categoryLabel}</span>
                </p>
                <p className="care-label">{item.label}</p>
                <p className="hint">
                  {item.professional}
                  {showRpps && item.rpps && <> — RPPS {item.rpps}</>}
                </p>
                <p className="care-amount">
                  Remboursé par l’Assurance Maladie : {euros.format(item.amountCents / 100)}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <div className="actions">
        {offset > 0 && (
          <button
            type="button"
            className="button-secondary"
            onClick={() => page(Math.max(0, offset - CARE_PAGE_SIZE))}
          >
            Plus récents
          </button>
        )}
        {offset + CARE_PAGE_SIZE < history.total && (
          <button type="button" className="button-secondary" onClick={() => page(offset + CARE_PAGE_SIZE)}>
            Plus anciens
          </button>
        )}
      </div>
    </>
  );
}
