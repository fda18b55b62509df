import type { ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import { NotFoundPage } from '../not-found.tsx';
import { AttachmentPage } from './attachment.tsx';
import { InboxPage } from './inbox.tsx';
import { ThreadPage } from './thread.tsx';

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
