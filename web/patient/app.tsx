import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../shared/api.ts';
import { Loading } from '../shared/page.tsx';
import { Link, navigate, useRoute } from '../shared/router.ts';
import { FeaturePage, features } from './pages/feature.tsx';
import { HomePage } from './pages/home.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { WelcomePage } from './pages/welcome.tsx';
import { preloadDocumentsPage, recordPage } from './pages/record/record-routes.tsx';
import { messagingPage } from './pages/messaging/messaging-routes.tsx';
import { agendaPage } from './pages/agenda/agenda-routes.tsx';
import { cataloguePage } from './pages/catalogue/catalogue-routes.tsx';
import { profilesOf, rememberDestination, useSession } from './session.ts';
import { useOverview, type Overview, type OverviewState } from './overview.ts';
import { connectionsPage } from './pages/connections/connections-routes.tsx';
import type { Me, Profile } from './types.ts';

// The pages a patient meets first (welcome, sign-in, home) are in the app's own bundle; the others load
// when first opened, so that the home does not wait for code it does not use.
const ActivationPage = lazy(() =>
  import('./pages/activation.tsx').then((m) => ({ default: m.ActivationPage })),
);
const OppositionPage = lazy(() =>
  import('./pages/opposition.tsx').then((m) => ({ default: m.OppositionPage })),
);
const ReissuePage = lazy(() => import('./pages/reissue.tsx').then((m) => ({ default: m.ReissuePage })));
const ForgottenPasswordPage = lazy(() =>
  import('./pages/forgotten-password.tsx').then((m) => ({ default: m.ForgottenPasswordPage })),
);
const SettingsPage = lazy(() => import('./pages/settings.tsx').then((m) => ({ default: m.SettingsPage })));
const SpaceSearchPage = lazy(() =>
  import('./pages/search/space-search.tsx').then((m) => ({ default: m.SpaceSearchPage })),
);

export interface SignedInProps {
  readonly me: Me;
  /** The profile being looked at: one's own, or a child's one manages. */
  readonly profile: Profile;
  readonly chooseProfile: (id: string) => void;
  readonly refresh: () => Promise<void>;
  readonly signedOut: () => void;
}

export function App() {
  const { path, query } = useRoute();
  const { session, refresh, signedOut } = useSession();
  const [profileId, setProfileId] = useState<string>();
  const signedInAs = session.status === 'signed-in' ? session.me : undefined;
  const shownProfile =
    signedInAs && (profilesOf(signedInAs).find((p) => p.id === profileId) ?? signedInAs.self);
  const overview = useOverview(
    publicPaths.includes(path) ? undefined : shownProfile?.id,
    useHomeVisits(path),
  );
  const signedIn = signedInAs !== undefined;
  useEffect(() => {
    if (signedIn) preloadDocumentsPage();
  }, [signedIn]);

  const publicPage = publicPages(path, refresh);
  if (publicPage) return <Layout signedIn={session.status === 'signed-in'}>{publicPage}</Layout>;

  if (session.status !== 'signed-in')
    return (
      <Layout signedIn={false}>{session.status === 'loading' ? <Loading /> : <RedirectToSignIn />}</Layout>
    );
  const profiles = profilesOf(session.me);
  const props: SignedInProps = {
    me: session.me,
    profile: profiles.find((p) => p.id === profileId) ?? session.me.self,
    chooseProfile: setProfileId,
    refresh,
    signedOut: () => {
      setProfileId(undefined);
      signedOut();
    },
  };
  return (
    <Layout signedIn onSignOut={props.signedOut} overview={overview}>
      {recordPage(path, query, props) ??
        messagingPage(path, query, props) ??
        agendaPage(path, query, props) ??
        cataloguePage(path, query, props) ??
        connectionsPage(path, query, props) ??
        privatePage(path, props, overview)}
    </Layout>
  );
}

/** Counts the returns to the home, where the counts are read again (after a page that changed them, say). */
function useHomeVisits(path: string): number {
  const [visits, setVisits] = useState(0);
  const previous = useRef(path);
  useEffect(() => {
    if (path === '/accueil' && previous.current !== '/accueil') setVisits((n) => n + 1);
    previous.current = path;
  }, [path]);
  return visits;
}

const publicPaths = ['/', '/activation', '/activation/nouveau-code', '/connexion', '/opposition'];

function publicPages(path: string, refresh: () => Promise<void>): ReactNode | undefined {
  switch (path) {
    case '/':
      return <WelcomePage />;
    case '/activation':
      return <ActivationPage />;
    case '/activation/nouveau-code':
      return <ReissuePage />;
    case '/connexion':
      return <SignInPage onSignedIn={refresh} />;
    case '/opposition':
      return <OppositionPage />;
    case '/mot-de-passe-oublie':
      return <ForgottenPasswordPage />;
    default:
      return undefined;
  }
}

function privatePage(path: string, props: SignedInProps, overview: OverviewState): ReactNode {
  if (path === '/accueil') return <HomePage {...props} overview={overview} />;
  if (path === '/parametres') return <SettingsPage {...props} />;
  if (path === '/recherche') return <SpaceSearchPage {...props} />;
  const feature = features.find((f) => f.path === path);
  if (feature) return <FeaturePage feature={feature} {...props} />;
  return <NotFoundPage />;
}

function RedirectToSignIn() {
  useEffect(() => {
    // After signing in, the patient lands where they were going (a consent page opened by an app, a link).
    rememberDestination(window.location.pathname + window.location.search);
    navigate('/connexion', { replace: true });
  }, []);
  return <Loading />;
}

/** The main sections: a tab bar at the bottom of a phone's screen, the header's navigation on a wider one. */
const tabs: readonly {
  readonly href: string;
  readonly label: string;
  readonly icon: string;
  readonly current: (path: string) => boolean;
  readonly badge?: (o: Overview) => { count: number; words: (n: number) => string };
}[] = [
  {
    href: '/accueil',
    label: 'Accueil',
    icon: 'M3 11.5 12 4l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z',
    current: (p) => p === '/accueil',
  },
  {
    href: '/dossier-medical',
    label: 'Documents',
    icon: 'M6 3h8l4 4v13a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zm7 1.5V8h3.5M8 12h8M8 16h8',
    current: (p) => p.startsWith('/dossier-medical') && !p.startsWith('/dossier-medical/profil'),
    badge: (o) => ({ count: o.newDocuments, words: (n) => (n > 1 ? 'nouveaux' : 'nouveau') }),
  },
  {
    href: '/messagerie',
    label: 'Messagerie',
    icon: 'M3 6a1 1 0 0 1 1-1h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1zm0 .5 9 6.5 9-6.5',
    current: (p) => p.startsWith('/messagerie'),
    badge: (o) => ({ count: o.unreadMessages ?? 0, words: (n) => (n > 1 ? 'non lus' : 'non lu') }),
  },
  {
    href: '/agenda',
    label: 'Agenda',
    icon: 'M4 6a1 1 0 0 1 1-1h14a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1zm0 4h16M8 3v4M16 3v4',
    current: (p) => p.startsWith('/agenda'),
    badge: (o) => ({ count: o.prevention.overdue.length, words: () => 'en retard' }),
  },
  {
    // Like the Mon espace santé app: « Profil » is the medical profile; account settings are in the header.
    href: '/dossier-medical/profil',
    label: 'Profil',
    icon: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0',
    current: (p) => p.startsWith('/dossier-medical/profil'),
  },
];

function TabBar({ path, overview }: { path: string; overview: OverviewState | undefined }) {
  const data = overview?.status === 'loaded' ? overview.data : undefined;
  return (
    <nav className="tab-bar" aria-label="Navigation principale">
      <ul>
        {tabs.map((tab) => {
          const badge = data && tab.badge?.(data);
          return (
            <li key={tab.href}>
              <Link href={tab.href} aria-current={tab.current(path) ? 'page' : undefined}>
                <svg className="tab-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <path d={tab.icon} />
                </svg>
                <span className="tab-label">{tab.label}</span>
                {badge && badge.count > 0 && (
                  <span className="tab-badge">
                    <span aria-hidden="true">{badge.count > 99 ? '99+' : badge.count}</span>
                    <span className="visually-hidden">{` ${badge.count} ${badge.words(badge.count)}`}</span>
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Layout({
  signedIn,
  onSignOut,
  overview,
  children,
}: {
  signedIn: boolean;
  onSignOut?: () => void;
  overview?: OverviewState;
  children: ReactNode;
}) {
  const { path } = useRoute();
  const signOut = () => {
    api('DELETE', '/api/patient/session')
      .catch(() => undefined)
      .finally(() => {
        onSignOut?.();
        navigate('/');
      });
  };
  const withTabs = signedIn && overview !== undefined;
  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className={withTabs ? 'site-header with-tabs' : 'site-header'}>
        <div className="site-header-inner">
          <Link className="brand" href={signedIn ? '/accueil' : '/'}>
            Mon espace santé
            <small>Le service public pour votre santé</small>
          </Link>
          <nav className="header-nav" aria-label="Compte">
            {signedIn ? (
              <>
                {!withTabs && <Link href="/accueil">Accueil</Link>}
                <Link href="/parametres" aria-current={path === '/parametres' ? 'page' : undefined}>
                  Paramètres<span className="header-more"> du compte</span>
                </Link>
                <button type="button" className="link-button" onClick={signOut}>
                  Se déconnecter
                </button>
              </>
            ) : (
              <>
                <Link href="/activation">Activer mon profil</Link>
                <Link href="/connexion">Se connecter</Link>
              </>
            )}
          </nav>
        </div>
        {withTabs && <TabBar path={path} overview={overview} />}
      </header>
      <main id="contenu" className="site-main">
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </main>
      <footer className={withTabs ? 'site-footer above-tab-bar' : 'site-footer'}>
        <p>Carnet : mise en œuvre libre de Mon espace santé, du DMP et de la messagerie de santé.</p>
      </footer>
    </>
  );
}
