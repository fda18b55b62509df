import type { ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';

/** The pages under `/catalogue`, or undefined for another address. */
export function cataloguePage(
  _path: string,
  _query: URLSearchParams,
  _props: SignedInProps,
): ReactNode | undefined {
  return undefined;
}
