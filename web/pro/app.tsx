import { useEffect, useState, type ReactNode } from 'react';
import { api, isUnauthenticated, messageOf } from '../shared/api.ts';
import { Alert } from '../shared/form.tsx';
import { Loading, Page } from '../shared/page.tsx';
import { professionalName } from '../shared/format.ts';
import { Link, useRoute } from '../shared/router.ts';
import { SearchPage } from './pages/search.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { appName, type Professional } from './types.ts';

type Session =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'signed-in'; readonly professional: Professional };

function useProfessional(): Session {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  useEffect(() => {
    api<Professional>('GET', '/api/pro/me')
      .then((professional) => setSession({ status: 'signed-in', professional }))
      .catch((error: unknown) =>
        setSession(
          isUnauthenticated(error)
            ? { status: 'signed-out' }
            : { status: 'failed', message: messageOf(error) },
        ),
      );
  }, []);
  return session;
}

export function App() {
  const session = useProfessional();
  const { path } = useRoute();
  const professional = session.status === 'signed-in' ? session.professional : undefined;
  let content: ReactNode;
  if (session.status === 'loading') content = <Loading />;
  else if (session.status === 'failed')
    content = (
      <Page title="Service indisponible" app={appName}>
        <Alert message={session.message} />
      </Page>
    );
  else if (!professional) content = <SignInPage />;
  else if (path === '/pro' || path === '/pro/patient') content = <SearchPage />;
  else
    content = (
      <Page title="Page introuvable" app={appName}>
        <Link href="/pro/">Retour à l'accueil du portail</Link>
      </Page>
    );
  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link className="brand" href="/pro/">
            Portail professionnel DMP
            <small>Dossier médical partagé</small>
          </Link>
          {professional && <Identity professional={professional} />}
        </div>
      </header>
      <main id="contenu" className="site-main">
        {content}
      </main>
      <footer className="site-footer">
        <p>Carnet : portail professionnel du dossier médical partagé (DMP).</p>
      </footer>
    </>
  );
}

function Identity({ professional }: { professional: Professional }) {
  const signOut = () => {
    fetch('/auth/pro/logout', { method: 'POST', credentials: 'same-origin' })
      .catch(() => undefined)
      .finally(() => window.location.assign('/pro/'));
  };
  return (
    <div className="header-nav" aria-label="Professionnel connecté" role="group">
      <p className="pro-identity">
        <strong>{professionalName(professional)}</strong>
        <br />
        {professional.professionLabel}
        {professional.structure && <> · {professional.structure.name}</>}
      </p>
      <button type="button" className="button-secondary" onClick={signOut}>
        Se déconnecter
      </button>
    </div>
  );
}
