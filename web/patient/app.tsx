import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { api } from '../shared/api.ts';
import { Loading } from '../shared/page.tsx';
import { Link, navigate, useRoute } from '../shared/router.ts';
import { FeaturePage, features } from './pages/feature.tsx';
import { HomePage } from './pages/home.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { WelcomePage } from './pages/welcome.tsx';
import { recordPage } from './pages/record/record-routes.tsx';
import { messagingPage } from './pages/messaging/messaging-routes.tsx';
import { agendaPage } from './pages/agenda/agenda-routes.tsx';
import { cataloguePage } from './pages/catalogue/catalogue-routes.tsx';
import { profilesOf, rememberDestination, useSession } from './session.ts';
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
    <Layout signedIn onSignOut={props.signedOut}>
      {recordPage(path, query, props) ??
        messagingPage(path, query, props) ??
        agendaPage(path, query, props) ??
        cataloguePage(path, query, props) ??
        connectionsPage(path, query, props) ??
        privatePage(path, props)}
    </Layout>
  );
}

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

function privatePage(path: string, props: SignedInProps): ReactNode {
  if (path === '/accueil') return <HomePage {...props} />;
  if (path === '/parametres') return <SettingsPage {...props} />;
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

function Layout({
  signedIn,
  onSignOut,
  children,
}: {
  signedIn: boolean;
  onSignOut?: () => void;
  children: ReactNode;
}) {
  const signOut = () => {
    api('DELETE', '/api/patient/session')
      .catch(() => undefined)
      .finally(() => {
        onSignOut?.();
        navigate('/');
      });
  };
  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link className="brand" href={signedIn ? '/accueil' : '/'}>
            Mon espace santé
            <small>Le service public pour votre santé</small>
          </Link>
          <nav className="header-nav" aria-label="Compte">
            {signedIn ? (
              <>
                <Link href="/accueil">Accueil</Link>
                <Link href="/parametres">Paramètres du compte</Link>
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
      </header>
      <main id="contenu" className="site-main">
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </main>
      <footer className="site-footer">
        <p>Carnet : mise en œuvre libre de Mon espace santé, du DMP et de la messagerie de santé.</p>
      </footer>
    </>
  );
}
