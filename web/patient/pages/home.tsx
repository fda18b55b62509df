import { frenchDate, groupedIns, personName, profileStateLabel } from '../../shared/format.ts';
import { Page } from '../../shared/page.tsx';
import { Link } from '../../shared/router.ts';
import type { SignedInProps } from '../app.tsx';
import { appName, type Profile } from '../types.ts';
import { features, MssanteAddress } from './feature.tsx';
import { ProfileSwitcher } from './profile-switcher.tsx';

/** The signed-in home: whose profile, and the four features. */
export function HomePage(props: SignedInProps) {
  const { profile, me } = props;
  const own = profile.id === me.self.id;
  return (
    <Page title={`Bonjour ${personName(me.self)}`} app={appName}>
      <ProfileSwitcher {...props} />
      {!own && (
        <p className="lead">
          Vous consultez le profil de {personName(profile)}, né(e) le {frenchDate(profile.birthDate)} (
          {profileStateLabel(profile.state).toLowerCase()}).
        </p>
      )}
      <ProfileSummary profile={profile} />
      <ul className="grid" aria-label="Services de Mon espace santé">
        {features.map((feature) => (
          <li key={feature.path} className="card">
            <Link className="feature" href={feature.path}>
              <h2>{feature.title}</h2>
              {feature.path === '/messagerie' && <MssanteAddress profile={profile} />}
              <p>{feature.summary}</p>
              {!feature.ready && <span className="badge badge-soon">Bientôt disponible</span>}
            </Link>
          </li>
        ))}
      </ul>
      <p>
        <Link href="/parametres">Paramètres du compte</Link>
      </p>
    </Page>
  );
}

/** The profile's summary, where the brochure says the patient also finds their messaging address. */
function ProfileSummary({ profile }: { profile: Profile }) {
  const [local, domain] = profile.mssanteAddress.split('@');
  return (
    <section className="card" aria-labelledby="profile-summary-title">
      <h2 id="profile-summary-title">Synthèse de mon profil</h2>
      <dl className="facts">
        <dt>Nom</dt>
        <dd>{personName(profile)}</dd>
        <dt>Date de naissance</dt>
        <dd>{frenchDate(profile.birthDate)}</dd>
        <dt>Matricule INS</dt>
        <dd>{groupedIns(profile.ins)}</dd>
        <dt>Adresse de messagerie sécurisée</dt>
        <dd className="address">
          {local}
          <wbr />@{domain}
        </dd>
      </dl>
    </section>
  );
}
