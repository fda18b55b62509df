import type { ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';

/** The pages under `/agenda`, or undefined for another address. */
export function agendaPage(
  _path: string,
  _query: URLSearchParams,
  _props: SignedInProps,
): ReactNode | undefined {
  return undefined;
}
