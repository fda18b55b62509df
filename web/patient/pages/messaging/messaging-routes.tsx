import { lazy, type ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import { NotFoundPage } from '../not-found.tsx';

// Each page's code loads when the page is first opened (the app's Suspense shows « Chargement… »).
const AttachmentPage = lazy(() => import('./attachment.tsx').then((m) => ({ default: m.AttachmentPage })));
const InboxPage = lazy(() => import('./inbox.tsx').then((m) => ({ default: m.InboxPage })));
const ThreadPage = lazy(() => import('./thread.tsx').then((m) => ({ default: m.ThreadPage })));

/** The pages of "Messagerie" (`/messagerie…`), or undefined for another address. */
export function messagingPage(
  path: string,
  query: URLSearchParams,
  props: SignedInProps,
): ReactNode | undefined {
  switch (path) {
    case '/messagerie':
      return <InboxPage {...props} />;
    case '/messagerie/conversation': {
      const id = query.get('id');
      return id ? <ThreadPage key={id} threadId={id} {...props} /> : <NotFoundPage />;
    }
    case '/messagerie/piece-jointe': {
      const id = query.get('id');
      const threadId = query.get('conversation');
      return id && threadId ? (
        <AttachmentPage key={id} id={id} threadId={threadId} {...props} />
      ) : (
        <NotFoundPage />
      );
    }
    default:
      return undefined;
  }
}
