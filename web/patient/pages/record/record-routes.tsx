import type { ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import { NotFoundPage } from '../not-found.tsx';
import { AccessPage } from './access.tsx';
import { DocumentPage, DocumentsPage, UploadPage } from './documents.tsx';
import { HistoryPage } from './history.tsx';
import { ProfilePage } from '../profile/profile-page.tsx';
import { CareHistoryPage } from '../care-history/care-history-page.tsx';

/** The pages of "Dossier médical" (`/dossier-medical…`), or undefined for another address. */
export function recordPage(
  path: string,
  query: URLSearchParams,
  props: SignedInProps,
): ReactNode | undefined {
  switch (path) {
    case '/dossier-medical':
      return <DocumentsPage {...props} />;
    case '/dossier-medical/document': {
      const id = query.get('id');
      return id ? <DocumentPage key={id} id={id} {...props} /> : <NotFoundPage />;
    }
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
