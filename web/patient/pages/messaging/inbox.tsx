import { useLoad, frenchDateTime } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import type { Profile } from '../../types.ts';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { messagesApi, senderName, type Inbox, type InboxThread } from './messaging-types.ts';

export const threadHref = (threadId: string) => `/messagerie/conversation?id=${encodeURIComponent(threadId)}`;

/** The address at the top of the section, as the brochure says, with what the patient can and cannot do. */
export function AddressCard({ profile }: { profile: Profile }) {
  const [local, domain] = profile.mssanteAddress.split('@');
  return (
    <section className="card" aria-label="Votre adresse de messagerie">
      <p>
        Votre adresse de messagerie sécurisée :{' '}
        <span className="address">
          {local}
          <wbr />@{domain}
        </span>
      </p>
      <p className="hint">
        Seuls les professionnels de santé peuvent engager une conversation avec vous, à cette adresse. Vous
        pouvez leur répondre, avec des pièces jointes, tant qu’ils n’ont pas clos l’échange.
      </p>
    </section>
  );
}

const unreadLabel = (n: number) => (n === 1 ? '1 message non lu' : `${n} messages non lus`);

export function InboxPage(props: SignedInProps) {
  const { state } = useLoad<Inbox>(messagesApi(props.profile));
  return (
    <Page title="Messagerie" app={appName}>
      <ProfileSwitcher {...props} />
      <AddressCard profile={props.profile} />
      <h2 id="threads-title">Vos conversations</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && (
        <>
          <p role="status">
            {state.data.unread === 0
              ? 'Aucun message non lu.'
              : `Vous avez ${unreadLabel(state.data.unread)}.`}
          </p>
          {state.data.threads.length === 0 ? (
            <p className="notice">
              Vous n’avez encore reçu aucun message. Vos professionnels de santé peuvent vous écrire à
              l’adresse ci-dessus.
            </p>
          ) : (
            <ul className="thread-list" aria-labelledby="threads-title">
              {state.data.threads.map((t) => (
                <ThreadItem key={t.threadId} thread={t} />
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}

function ThreadItem({ thread }: { thread: InboxThread }) {
  const unread = thread.unreadCount > 0;
  const last = thread.lastMessage;
  return (
    <li className={unread ? 'card thread-item thread-unread' : 'card thread-item'}>
      <h3>
        <Link href={threadHref(thread.threadId)}>
          {unread && <span className="visually-hidden">Non lu : </span>}
          {thread.subject || '(sans objet)'}
        </Link>
      </h3>
      <p className="thread-from">
        {senderName(thread.professional)}
        {thread.professional.name && <span className="hint"> · {thread.professional.address}</span>}
      </p>
      {last && (
        <p className="thread-excerpt">
          {last.direction === 'outbound' ? 'Vous : ' : ''}
          {last.excerpt || (last.attachments > 0 ? 'Pièce jointe' : '')}
        </p>
      )}
      <p className="badges">
        <span className="hint">{frenchDateTime(thread.lastMessageAt)}</span>{' '}
        {unread && (
          <span className="badge badge-unread">
            {thread.unreadCount === 1 ? 'non lu' : `${thread.unreadCount} non lus`}
          </span>
        )}
        {thread.closed && <span className="badge badge-soon">Échange clos</span>}
      </p>
    </li>
  );
}
