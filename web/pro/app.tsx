import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { api, isUnauthenticated, messageOf } from '../shared/api.ts';
import { Alert } from '../shared/form.tsx';
import { Loading, Page } from '../shared/page.tsx';
import { professionalName } from '../shared/format.ts';
import { Link, useRoute } from '../shared/router.ts';
import { EmergencyBanner, usePatientAccess, type EmergencyProps } from './emergency.tsx';
import { SearchPage } from './pages/search.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { appName, type Professional } from './types.ts';

// The sign-in and patient search are in the portal's own bundle; a patient's pages load when first opened.
const ProDocumentPage = lazy(() =>
  import('./pages/record/document.tsx').then((m) => ({ default: m.ProDocumentPage })),
);
const DepositsPage = lazy(() =>
  import('./pages/record/deposits.tsx').then((m) => ({ default: m.DepositsPage })),
);
const IndicatorsPage = lazy(() =>
  import('./pages/indicators/indicators.tsx').then((m) => ({ default: m.IndicatorsPage })),
);
const loadRecordPage = () => import('./pages/record/patient-record.tsx');
let recordModule: Awaited<ReturnType<typeof loadRecordPage>> | undefined;
const LazyRecordPage = lazy(() => loadRecordPage().then((m) => ({ default: m.PatientRecordPage })));
/**
 * The record is the page a signed-in professional opens next: its code is fetched once they are signed in, and
 * rendered directly once there. Through `lazy` alone React shows « Chargement » and holds the page back about
 * 300 ms (its pacing of suspended content), longer than the record's own answer takes.
 */
const preloadRecordPage = () =>
  loadRecordPage().then((m) => {
    recordModule = m;
  });
function PatientRecordPage(props: Parameters<typeof LazyRecordPage>[0]) {
  const Loaded = recordModule?.PatientRecordPage;
  return Loaded ? <Loaded {...props} /> : <LazyRecordPage {...props} />;
}
const ProProfilePage = lazy(() =>
  import('./pages/profile/pro-profile-page.tsx').then((m) => ({ default: m.ProProfilePage })),
);
const ProCareHistoryPage = lazy(() =>
  import('./pages/care-history/pro-care-history-page.tsx').then((m) => ({ default: m.ProCareHistoryPage })),
);
const VsmPage = lazy(() => import('./pages/vsm/vsm-page.tsx').then((m) => ({ default: m.VsmPage })));

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
  const { path, query } = useRoute();
  const professional = session.status === 'signed-in' ? session.professional : undefined;
  // An emergency access is to one patient: its banner shows on that patient's pages only.
  const patientId = (professional && path.startsWith('/pro/dossier') && query.get('patient')) || undefined;
  const emergency = usePatientAccess(patientId);
  useEffect(() => {
    if (professional) void preloadRecordPage().catch(() => undefined);
  }, [professional]);
  let content: ReactNode;
  if (session.status === 'loading') content = <Loading />;
  else if (session.status === 'failed')
    content = (
      <Page title="Service indisponible" app={appName}>
        <Alert message={session.message} />
      </Page>
    );
  else if (!professional) content = <SignInPage />;
  else content = signedInPage(path, query, emergency);
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
      <EmergencyBanner access={emergency.access} />
      <main id="contenu" className="site-main">
        <Suspense fallback={<Loading />}>{content}</Suspense>
      </main>
      <footer className="site-footer">
        <p>Carnet : portail professionnel du dossier médical partagé (DMP).</p>
      </footer>
    </>
  );
}

function signedInPage(path: string, query: URLSearchParams, emergency: EmergencyProps): ReactNode {
  const patientId = query.get('patient') ?? '';
  const ins = query.get('ins') ?? '';
  const id = query.get('id') ?? '';
  if (path === '/pro' || path === '/pro/patient') return <SearchPage />;
  if (path === '/pro/dossier' && patientId)
    return <PatientRecordPage key={patientId} patientId={patientId} ins={ins} {...emergency} />;
  if (path === '/pro/dossier/document' && patientId && id)
    return <ProDocumentPage key={id} patientId={patientId} ins={ins} id={id} />;
  if (path === '/pro/dossier/profil' && patientId)
    return <ProProfilePage key={patientId} patientId={patientId} ins={ins} />;
  if (path === '/pro/dossier/histoire-de-sante' && patientId)
    return <ProCareHistoryPage key={patientId} patientId={patientId} ins={ins} />;
  if (path === '/pro/dossier/vsm' && patientId)
    return <VsmPage key={patientId} patientId={patientId} ins={ins} />;
  if (path === '/pro/mes-depots') return <DepositsPage />;
  if (path === '/pro/indicateurs') return <IndicatorsPage />;
  return (
    <Page title="Page introuvable" app={appName}>
      <Link href="/pro/">Retour à l’accueil du portail</Link>
    </Page>
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
      <Link href="/pro/mes-depots">Mes dépôts par mois</Link>
      <Link href="/pro/indicateurs">Mes indicateurs</Link>
      <button type="button" className="button-secondary" onClick={signOut}>
        Se déconnecter
      </button>
    </div>
  );
}
