import { lazy, type ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';

// Each page's code loads when the page is first opened (the app's Suspense shows « Chargement… »).
const ConsentPage = lazy(() => import('./consent.tsx').then((m) => ({ default: m.ConsentPage })));
const ConnectedServicesPage = lazy(() =>
  import('./connected-services.tsx').then((m) => ({ default: m.ConnectedServicesPage })),
);

/** The consent page an app sends the patient to, and the list of connected services. */
export function connectionsPage(
  path: string,
  query: URLSearchParams,
  props: SignedInProps,
): ReactNode | undefined {
  if (path === '/autoriser-service') return <ConsentPage query={query} {...props} />;
  if (path === '/services-connectes') return <ConnectedServicesPage {...props} />;
  return undefined;
}
