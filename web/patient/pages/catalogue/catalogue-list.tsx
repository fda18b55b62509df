import { useEffect, useState, type FormEvent } from 'react';
import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link, navigate } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import {
  availabilityOf,
  catalogueHref,
  serviceHref,
  type CatalogueCard,
  type CatalogueList,
} from './catalogue-types.ts';

/** The filters' choices, as the last answer gave them. */
type Vocabulary = Pick<CatalogueList, 'categories' | 'purposes'>;

const countLabel = (n: number) =>
  n === 0 ? 'Aucun service ne correspond.' : n === 1 ? '1 service' : `${n} services`;

/** The catalogue: search by words, filter by category and purpose; the address holds the search. */
export function CataloguePage({ query }: SignedInProps & { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const category = query.get('categorie') ?? '';
  const purpose = query.get('finalite') ?? '';
  const api = new URLSearchParams();
  if (q) api.set('q', q);
  if (category) api.set('category', category);
  if (purpose) api.set('purpose', purpose);
  const { state } = useLoad<CatalogueList>(`/api/patient/catalogue?${api.toString()}`);
  // The filters' choices stay on screen while a new search loads.
  const [vocabulary, setVocabulary] = useState<Vocabulary>();
  useEffect(() => {
    if (state.status === 'loaded') setVocabulary(state.data);
  }, [state]);
  const filtered = Boolean(q || category || purpose);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['q', 'categorie', 'finalite']) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    const search = next.toString();
    navigate(search ? `${catalogueHref}?${search}` : catalogueHref);
  };

  return (
    <Page title="Catalogue de services" app={appName}>
      <p className="lead">
        Des applications et services de santé référencés par l’État pour leur fiabilité. Vous choisissez ceux
        que vous utilisez et les données que vous partagez avec eux.
      </p>
      <p>
        <Link href="/services-connectes">Mes services connectés</Link>
      </p>
      {/* Remounted when the choices arrive too: a select's defaultValue only applies to options it already has,
          so a filter opened from an address (a reload, a shared link) would otherwise show "Toutes". */}
      <form
        key={`${query.toString()}|${vocabulary ? 'choices' : ''}`}
        className="catalogue-filters card"
        role="search"
        aria-label="Rechercher un service"
        onSubmit={onSubmit}
      >
        <div className="field">
          <label htmlFor="catalogue-q">Rechercher</label>
          <p id="catalogue-q-hint" className="hint">
            Un nom, un éditeur ou un besoin, par exemple « glycémie » ou « grossesse ».
          </p>
          <input
            id="catalogue-q"
            name="q"
            type="search"
            defaultValue={q}
            aria-describedby="catalogue-q-hint"
          />
        </div>
        <div className="field">
          <label htmlFor="catalogue-category">Catégorie</label>
          <select id="catalogue-category" name="categorie" defaultValue={category}>
            <option value="">Toutes les catégories</option>
            {vocabulary?.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="catalogue-purpose">Ce que le service fait avec vos données</label>
          <select id="catalogue-purpose" name="finalite" defaultValue={purpose}>
            <option value="">Toutes les finalités</option>
            {vocabulary?.purposes.map((p) => (
              <option key={p.code} value={p.code}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="button">
            Rechercher
          </button>
          {filtered && <Link href={catalogueHref}>Effacer la recherche</Link>}
        </div>
      </form>

      <h2 id="catalogue-results">{filtered ? 'Résultats' : 'Tous les services'}</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && (
        <>
          <p role="status" className="count">
            {countLabel(state.data.total)}
          </p>
          {state.data.services.length > 0 && (
            <ul className="grid catalogue-grid" aria-labelledby="catalogue-results">
              {state.data.services.map((s) => (
                <ServiceCard key={s.id} service={s} />
              ))}
            </ul>
          )}
        </>
      )}
      <p>
        <Link href="/accueil">Retour à l’accueil</Link>
      </p>
    </Page>
  );
}

function ServiceCard({ service }: { service: CatalogueCard }) {
  const unavailable = availabilityOf(service.status.code);
  return (
    <li className={unavailable ? 'card service-card service-unavailable' : 'card service-card'}>
      <h3>
        <Link href={serviceHref(service.id)}>{service.name}</Link>
      </h3>
      <p className="hint">Édité par {service.editor}</p>
      <p>{service.summary}</p>
      <p className="badges">
        <span className="badge">{service.category.label}</span>
        {unavailable && (
          <>
            <span className="visually-hidden">, </span>
            <span className="badge badge-unavailable">{unavailable}</span>
          </>
        )}
      </p>
    </li>
  );
}
