import { Alert } from '../../shared/form.tsx';
import { frenchDate, groupedIns, personName, profileStateLabel } from '../../shared/format.ts';
import { Loading, Page } from '../../shared/page.tsx';
import { Link } from '../../shared/router.ts';
import type { SignedInProps } from '../app.tsx';
import type { Overview, OverviewState, PreventionReminder } from '../overview.ts';
import { appName, type Profile } from '../types.ts';
import { features, MssanteAddress } from './feature.tsx';
import { ProfileSwitcher } from './profile-switcher.tsx';
import { SpaceSearchForm } from './search/space-search-form.tsx';

/** The signed-in home: what needs the patient first, then the four features and whose profile it is. */
export function HomePage({ overview, ...props }: SignedInProps & { overview: OverviewState }) {
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
      <SpaceSearchForm />
      <Attention overview={overview} />
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
      <ProfileSummary profile={profile} />
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

/** « dépistage », « vaccination » or both, singular or plural. */
function preventionNoun(items: readonly PreventionReminder[]): string {
  const kinds = new Set(items.map((i) => i.kind));
  const many = items.length > 1;
  if (kinds.size > 1) return many ? 'dépistages ou vaccinations' : 'dépistage ou vaccination';
  if (kinds.has('screening')) return many ? 'dépistages' : 'dépistage';
  return many ? 'vaccinations' : 'vaccination';
}

const parisDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const longDate = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const dayLabel = (day: string) =>
  longDate.format(new Date(`${day.slice(0, 10)}T12:00:00Z`)).replace(/^1 /, '1er ');

const needsNothing = (o: Overview) =>
  o.newDocuments === 0 &&
  !o.unreadMessages &&
  o.prevention.overdue.length === 0 &&
  o.prevention.dueSoon.length === 0 &&
  o.firstAccesses.length === 0;

/** What needs the patient on this profile, most pressing first; each line leads to the page where it is done. */
function Attention({ overview }: { overview: OverviewState }) {
  return (
    <section className="attention" aria-labelledby="attention-title">
      <h2 id="attention-title">À voir</h2>
      {overview.status === 'loading' && <Loading />}
      {overview.status === 'failed' && <Alert message={overview.message} />}
      {overview.status === 'loaded' && <AttentionList overview={overview.data} />}
    </section>
  );
}

function AttentionList({ overview: o }: { overview: Overview }) {
  if (needsNothing(o))
    return (
      <p className="notice attention-none">
        Rien de nouveau : aucun message non lu, aucun nouveau document et aucun dépistage ni vaccin en retard.
      </p>
    );
  const { overdue, dueSoon } = o.prevention;
  return (
    <ul className="attention-list">
      {!!o.unreadMessages && (
        <li className="attention-item attention-urgent">
          <Link href="/messagerie">
            <span className="attention-count">{o.unreadMessages}</span>{' '}
            {o.unreadMessages > 1 ? 'messages non lus' : 'message non lu'}
          </Link>
        </li>
      )}
      {overdue.length > 0 && (
        <li className="attention-item attention-urgent">
          <Link href="/agenda">
            <span className="attention-count">{overdue.length}</span> {preventionNoun(overdue)} en retard
          </Link>
          <ReminderList items={overdue} />
        </li>
      )}
      {o.newDocuments > 0 && (
        <li className="attention-item">
          <Link href="/dossier-medical">
            <span className="attention-count">{o.newDocuments}</span>{' '}
            {o.newDocuments > 1 ? 'nouveaux documents' : 'nouveau document'}
          </Link>
        </li>
      )}
      {dueSoon.length > 0 && (
        <li className="attention-item">
          <Link href="/agenda">
            <span className="attention-count">{dueSoon.length}</span> {preventionNoun(dueSoon)} à prévoir
          </Link>
          <ReminderList items={dueSoon} />
        </li>
      )}
      {o.firstAccesses.length > 0 && (
        <li className="attention-item">
          <Link href="/dossier-medical/acces">
            <span className="attention-count">{o.firstAccesses.length}</span>{' '}
            {o.firstAccesses.length > 1
              ? 'professionnels ont consulté votre dossier pour la première fois'
              : 'professionnel a consulté votre dossier pour la première fois'}
          </Link>
          <ul className="attention-details">
            {o.firstAccesses.slice(0, 3).map((p) => (
              <li key={`${p.name}-${p.at}`}>
                {[p.name, p.profession].filter(Boolean).join(', ')}, le {dayLabel(p.at)}
              </li>
            ))}
          </ul>
        </li>
      )}
    </ul>
  );
}

function ReminderList({ items }: { items: readonly PreventionReminder[] }) {
  const today = parisDay.format(new Date());
  return (
    <ul className="attention-details">
      {items.slice(0, 3).map((i) => (
        <li key={i.key}>
          {i.label} (
          {i.dueFrom > today
            ? `à partir du ${dayLabel(i.dueFrom)}`
            : `à faire depuis le ${dayLabel(i.dueFrom)}`}
          )
        </li>
      ))}
      {items.length > 3 && <li>et {items.length - 3} autre(s)</li>}
    </ul>
  );
}
