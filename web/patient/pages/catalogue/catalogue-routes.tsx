import { lazy, type ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import { NotFoundPage } from '../not-found.tsx';

// Each page's code loads when the page is first opened (the app's Suspense shows « Chargement… »).
const CataloguePage = lazy(() => import('./catalogue-list.tsx').then((m) => ({ default: m.CataloguePage })));
const CatalogueServicePage = lazy(() =>
  import('./catalogue-service.tsx').then((m) => ({ default: m.CatalogueServicePage })),
);

/** The pages under `/catalogue`, or undefined for another address. */
export function cataloguePage(
  path: string,
  query: URLSearchParams,
  props: SignedInProps,
): ReactNode | undefined {
  switch (path) {
    case '/catalogue':
      return <CataloguePage query={query} {...props} />;
    case '/catalogue/service': {
      const id = query.get('id');
      return id ? <CatalogueServicePage key={id} id={id} {...props} /> : <NotFoundPage />;
    }
    default:
      return undefined;
  }
}
