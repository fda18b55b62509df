import type { ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import { NotFoundPage } from '../not-found.tsx';
import { CataloguePage } from './catalogue-list.tsx';
import { CatalogueServicePage } from './catalogue-service.tsx';

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
