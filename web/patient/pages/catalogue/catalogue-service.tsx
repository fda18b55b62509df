import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { availabilityOf, catalogueHref, type CatalogueServiceDetail } from './catalogue-types.ts';

const frenchDate = (iso: string) =>
  new Date(iso).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });

/** A service's page: who makes it, what it does with the patient's data, where to get it, whether it is available. */
export function CatalogueServicePage({ id }: SignedInProps & { id: string }) {
  const { state } = useLoad<CatalogueServiceDetail>(
    `/api/patient/catalogue/services/${encodeURIComponent(id)}`,
  );
  if (state.status === 'loading')
    return (
      <Page title="Service" app={appName}>
        <Loading />
      </Page>
    );
  if (state.status === 'failed')
    return (
      <Page title="Service indisponible" app={appName}>
        <Alert message={state.message} />
        <p>
          <Link href={catalogueHref}>Retour au catalogue</Link>
        </p>
      </Page>
    );
  const s = state.data;
  const unavailable = availabilityOf(s.status.code);
  const links = [
    { href: s.links.web, label: 'Site web du service' },
    { href: s.links.appStore, label: 'Télécharger sur l’App Store' },
    { href: s.links.googlePlay, label: 'Télécharger sur Google Play' },
    { href: s.links.privacyPolicy, label: 'Politique de confidentialité' },
  ].filter((l): l is { href: string; label: string } => Boolean(l.href));
  return (
    <Page title={s.name} app={appName}>
      <p className="hint">
        Édité par{' '}
        {s.editor.url ? (
          <a href={s.editor.url} rel="noopener noreferrer">
            {s.editor.name}
          </a>
        ) : (
          s.editor.name
        )}{' '}
        · {s.category.label}
      </p>
      {unavailable ? (
        <div className="card service-status" role="status">
          <p>
            <span className="badge badge-unavailable">{unavailable}</span>
          </p>
          {s.status.code === 'suspended' && (
            <p>
              Ce service est suspendu par l’administration du catalogue : il ne peut plus accéder à vos
              données tant que la suspension dure.
            </p>
          )}
          {s.status.code === 'offline' && <p>L’éditeur a interrompu ce service pour le moment.</p>}
          {s.statusReason && <p>Motif : {s.statusReason}</p>}
        </div>
      ) : (
        <p>
          <span className="badge badge-met">Disponible</span>
        </p>
      )}
      <p className="lead">{s.summary}</p>
      <p>{s.description}</p>

      <h2>Ce que ce service peut faire avec vos données</h2>
      <p className="hint">
        Si vous connectez ce service, il vous demandera votre accord pour chacune de ces finalités ; vous
        pourrez en refuser certaines.
      </p>
      <ul>
        {s.purposes.map((p) => (
          <li key={p.code}>{p.label}</li>
        ))}
      </ul>

      <h2>Données échangées</h2>
      <ul>
        {s.dataExchanged.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>

      {links.length > 0 && (
        <>
          <h2>Liens</h2>
          <ul className="service-links">
            {links.map((l) => (
              <li key={l.label}>
                <a href={l.href} rel="noopener noreferrer">
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {s.connectable && (
        <section className="card" aria-labelledby="connect-title">
          <h2 id="connect-title">Connecter ce service</h2>
          <p>
            Ouvrez {s.name} et choisissez « Connecter à Mon espace santé » : vous reviendrez ici pour choisir,
            une à une, les autorisations que vous lui donnez. Vous pourrez le déconnecter à tout moment.
          </p>
          <p>
            <Link href="/services-connectes">Mes services connectés</Link>
          </p>
        </section>
      )}
      <p className="hint">Référencé depuis le {frenchDate(s.referencedAt)}.</p>
      <p>
        <Link href={catalogueHref}>Retour au catalogue</Link>
      </p>
    </Page>
  );
}
