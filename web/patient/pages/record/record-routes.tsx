import { lazy, useEffect, useState, type ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import type { DocumentsPage } from './documents.tsx';
import { Loading } from '../../../shared/page.tsx';
import { NotFoundPage } from '../not-found.tsx';

// Each page's code loads when the page is first opened (the app's Suspense shows « Chargement… »).
const AccessPage = lazy(() => import('./access.tsx').then((m) => ({ default: m.AccessPage })));
const DocumentPage = lazy(() => import('./documents.tsx').then((m) => ({ default: m.DocumentPage })));
const UploadPage = lazy(() => import('./documents.tsx').then((m) => ({ default: m.UploadPage })));
const FolderPage = lazy(() => import('./folders.tsx').then((m) => ({ default: m.FolderPage })));
const PhotoUploadPage = lazy(() =>
  import('./photo-upload.tsx').then((m) => ({ default: m.PhotoUploadPage })),
);
const HistoryPage = lazy(() => import('./history.tsx').then((m) => ({ default: m.HistoryPage })));
const ProfilePage = lazy(() =>
  import('../profile/profile-page.tsx').then((m) => ({ default: m.ProfilePage })),
);
const CareHistoryPage = lazy(() =>
  import('../care-history/care-history-page.tsx').then((m) => ({ default: m.CareHistoryPage })),
);

/**
 * The documents page, the one opened most, is fetched as soon as the patient is signed in (`preloadDocumentsPage`)
 * and drawn as soon as its code is there. Not through `lazy`: a page that suspends keeps the fallback on screen for
 * 300 ms at least (React's throttling of Suspense), even when its code comes in 30 ms.
 */
let loadedDocumentsPage: typeof DocumentsPage | undefined;
const loadDocuments = () => import('./documents.tsx').then((m) => (loadedDocumentsPage = m.DocumentsPage));
export const preloadDocumentsPage = (): void => void loadDocuments();

function DocumentsRoute(props: SignedInProps) {
  const [Page, setPage] = useState(() => loadedDocumentsPage);
  useEffect(() => {
    if (!Page) void loadDocuments().then((page) => setPage(() => page));
  }, [Page]);
  return Page ? <Page {...props} /> : <Loading />;
}

/** The pages of "Dossier médical" (`/dossier-medical…`), or undefined for another address. */
export function recordPage(
  path: string,
  query: URLSearchParams,
  props: SignedInProps,
): ReactNode | undefined {
  switch (path) {
    case '/dossier-medical':
      return <DocumentsRoute {...props} />;
    case '/dossier-medical/document': {
      const id = query.get('id');
      return id ? <DocumentPage key={id} id={id} {...props} /> : <NotFoundPage />;
    }
    case '/dossier-medical/dossier': {
      const id = query.get('id');
      return id ? <FolderPage key={id} id={id} {...props} /> : <NotFoundPage />;
    }
    case '/dossier-medical/photos':
      return <PhotoUploadPage {...props} />;
    case '/dossier-medical/ajouter':
      return <UploadPage {...props} />;
    case '/dossier-medical/acces':
      return <AccessPage {...props} />;
    case '/dossier-medical/historique':
      return <HistoryPage {...props} />;
    case '/dossier-medical/profil':
      return <ProfilePage key={query.get('section') ?? ''} section={query.get('section')} {...props} />;
    case '/dossier-medical/histoire-de-sante':
      return <CareHistoryPage {...props} />;
    default:
      return undefined;
  }
}
