import type { ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import { NotFoundPage } from '../not-found.tsx';
import { AccessPage } from './access.tsx';
import { DocumentPage, DocumentsPage, UploadPage } from './documents.tsx';
import { HistoryPage } from './history.tsx';

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
    default:
      return undefined;
  }
}
