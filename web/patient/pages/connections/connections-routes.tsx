import type { ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import { ConsentPage } from './consent.tsx';
import { ConnectedServicesPage } from './connected-services.tsx';

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
