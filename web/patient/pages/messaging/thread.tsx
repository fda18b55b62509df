import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../../../shared/api.ts';
import { fileSize, frenchDateTime, postForm, useLoad } from '../../../shared/data.ts';
import { Alert, Field, Notice, OptionalMark, SubmitButton, useForm } from '../../../shared/form.tsx';
import { frenchDate } from '../../../shared/format.ts';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { attentionChanged } from '../../overview.ts';
import { appName } from '../../types.ts';
import {
  messagesApi,
  senderName,
  type AttachmentItem,
  type Closure,
  type Thread,
  type ThreadMessage,
} from './messaging-types.ts';
import type { RecordDocumentView } from '../../../shared/record-types.ts';

export const attachmentHref = (threadId: string, id: string) =>
  `/messagerie/piece-jointe?conversation=${encodeURIComponent(threadId)}&id=${encodeURIComponent(id)}`;

export function ThreadPage(props: SignedInProps & { threadId: string }) {
  const { state, reload } = useLoad<Thread>(
    messagesApi(props.profile, `/threads/${encodeURIComponent(props.threadId)}`),
  );
  const title = state.status === 'loaded' ? state.data.subject || '(sans objet)' : 'Conversation';
  // Opened, its messages are read: the unread count of the tab bar drops.
  useEffect(() => {
    if (state.status === 'loaded') attentionChanged();
  }, [state.status]);
  return (
    <Page title={title} app={appName}>
      <p>
        <Link href="/messagerie">← Toutes mes conversations</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && (
        <>
          <p>
            Conversation avec <strong>{senderName(state.data.professional)}</strong>{' '}
            <span className="address">({state.data.professional.address})</span>
          </p>
          {state.data.closed && <ClosedBanner closure={state.data.closed} />}
          <ol className="message-list" aria-label="Messages de la conversation">
            {state.data.messages.map((m) => (
              <MessageItem key={m.id} message={m} thread={state.data} {...props} />
            ))}
          </ol>
          {state.data.canReply && !state.data.closed && (
            <ReplyForm {...props} thread={state.data} onSent={reload} />
          )}
        </>
      )}
    </Page>
  );
}

export function ClosedBanner({ closure }: { closure: Closure }) {
  return (
    <div className="closed-banner" role="note">
      <strong>
        {senderName(closure.by)} a clos cet échange le {frenchDateTime(closure.at)} : vous ne pouvez plus
        répondre.
      </strong>
    </div>
  );
}

function MessageItem({
  message,
  thread,
  ...props
}: SignedInProps & { message: ThreadMessage; thread: Thread }) {
  const own = message.direction === 'outbound';
  const headingId = `message-${message.id}`;
  return (
    <li className={own ? 'card message message-own' : 'card message'}>
      <article aria-labelledby={headingId}>
        <h2 id={headingId} className="message-head">
          {own ? 'Vous' : senderName(message.from)}
          <span className="hint"> · {frenchDateTime(own ? message.sentAt : message.receivedAt)}</span>
        </h2>
        <p className="hint">
          {own ? `À : ${message.to.join(', ')}` : `De : ${message.from.address}`} · Objet : {message.subject}
        </p>
        <p className="message-text">{message.text}</p>
        {message.xdm && <XdmFacts xdm={message.xdm} />}
        {message.attachments.length > 0 && (
          // Named with its message, so that each message's attachments are a landmark of its own.
          <section aria-labelledby={`${headingId}-attachments ${headingId}`}>
            <h3 id={`${headingId}-attachments`} className="attachments-title">
              Pièces jointes ({message.attachments.length})
            </h3>
            <ul className="attachment-list">
              {message.attachments.map((a) => (
                <AttachmentRow
                  key={a.id}
                  attachment={a}
                  message={message}
                  thread={thread}
                  own={own}
                  {...props}
                />
              ))}
            </ul>
          </section>
        )}
      </article>
    </li>
  );
}

function XdmFacts({ xdm }: { xdm: NonNullable<ThreadMessage['xdm']> }) {
  return (
    <p className="hint">
      Documents transmis au format de dossier médical (XDM)
      {xdm.codeCda ? ` · code du document : ${xdm.codeCda}` : ''}
      {xdm.insQualified === null
        ? ''
        : xdm.insQualified
          ? ' · identité INS vérifiée par l’expéditeur'
          : ' · identité INS non vérifiée par l’expéditeur'}
    </p>
  );
}

function AttachmentRow({
  attachment: a,
  message,
  thread,
  own,
  profile,
}: SignedInProps & { attachment: AttachmentItem; message: ThreadMessage; thread: Thread; own: boolean }) {
  const [filed, setFiled] = useState<{ id: string; title?: string; createdAt?: string } | null>(
    a.filedDocumentId ? { id: a.filedDocumentId } : null,
  );
  const [filing, setFiling] = useState(false);
  const formId = useId();
  // The patient checks the title (the message's subject) before filing; unchanged, the server's own choice stands.
  const form = useForm(
    async (values) => {
      const title = (values.title ?? '').trim();
      const doc = await api<RecordDocumentView>(
        'POST',
        messagesApi(
          profile,
          `/messages/${encodeURIComponent(a.messageId)}/attachments/${encodeURIComponent(a.id)}/file`,
        ),
        title === a.filingTitle ? undefined : { title },
      );
      setFiled(doc);
      setFiling(false);
    },
    (code) => (code.startsWith('title') ? 'title' : undefined),
  );
  const viewable = a.viewable || a.kind === 'cda';
  return (
    <li className="attachment">
      <p>
        <strong>{a.filename}</strong>{' '}
        <span className="hint">
          ({fileSize(a.size)}
          {a.cdaType ? ` · ${a.cdaType.display}` : ''}
          {a.fromXdm ? ` · extrait de ${a.fromXdm}` : ''})
        </span>
      </p>
      <div className="actions">
        {viewable && (
          <Link className="button-secondary" href={attachmentHref(thread.threadId, a.id)}>
            Ouvrir<span className="visually-hidden"> {a.filename}</span>
          </Link>
        )}
        <a className="button-secondary" href={a.downloadUrl} download>
          Télécharger<span className="visually-hidden"> {a.filename}</span>
        </a>
        {!own && a.canFile && !filed && !filing && (
          <button type="button" className="button" onClick={() => setFiling(true)}>
            Classer dans mon dossier<span className="visually-hidden"> : {a.filename}</span>
          </button>
        )}
      </div>
      {filing && !filed && (
        <form className="filing-form" onSubmit={form.onSubmit} noValidate aria-labelledby={`${formId}-title`}>
          <h4 id={`${formId}-title`}>Classer « {a.filename} » dans mon dossier</h4>
          <Alert id={form.errorId} message={form.error} />
          <Field
            name="title"
            label="Titre du document"
            hint="Proposé d’après l’objet du message : vous pouvez le modifier."
            defaultValue={a.filingTitle}
            required
            maxLength={256}
            autoFocus
            errorId={form.errorFor('title')}
          />
          <p className="hint">
            Date du document :{' '}
            {a.kind === 'cda'
              ? 'celle indiquée dans le document'
              : `${frenchDate(message.sentAt)} (date du message)`}
          </p>
          <div className="actions">
            <SubmitButton busy={form.busy}>Classer dans mon dossier</SubmitButton>
            <button type="button" className="button-secondary" onClick={() => setFiling(false)}>
              Annuler
            </button>
          </div>
        </form>
      )}
      {filed && (
        <Notice>
          Classé dans votre dossier médical
          {filed.title && filed.createdAt
            ? ` : « ${filed.title} », daté du ${frenchDate(filed.createdAt)}.`
            : '.'}{' '}
          <Link href={`/dossier-medical/document?id=${encodeURIComponent(filed.id)}`}>
            Voir le document dans mon dossier
          </Link>
        </Notice>
      )}
    </li>
  );
}

function ReplyForm({
  profile,
  thread,
  onSent,
}: SignedInProps & { thread: Thread; onSent: () => Promise<void> }) {
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const [sent, setSent] = useState(false);
  const form = useForm(
    async () => {
      if (!formRef.current) return;
      setSent(false);
      await postForm(
        messagesApi(profile, `/threads/${encodeURIComponent(thread.threadId)}/reply`),
        new FormData(formRef.current),
      );
      formRef.current.reset();
      setSent(true);
      await onSent();
    },
    (code) =>
      code.startsWith('reply')
        ? 'text'
        : code.includes('file') || code.includes('content')
          ? 'files'
          : undefined,
  );
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Répondre à {senderName(thread.professional)}</h2>
      <form ref={formRef} onSubmit={form.onSubmit} noValidate encType="multipart/form-data">
        <Alert id={form.errorId} message={form.error} />
        {sent && <Notice>Votre réponse a été envoyée.</Notice>}
        <div className={form.errorFor('text') ? 'field field-error' : 'field'}>
          <label htmlFor={`${id}-text`}>Votre réponse</label>
          <textarea
            id={`${id}-text`}
            name="text"
            rows={6}
            maxLength={20000}
            aria-invalid={form.errorFor('text') ? true : undefined}
            aria-describedby={form.errorFor('text')}
          />
        </div>
        <div className={form.errorFor('files') ? 'field field-error' : 'field'}>
          <label htmlFor={`${id}-files`}>
            Pièces jointes
            <OptionalMark />
          </label>
          <p id={`${id}-files-hint`} className="hint">
            PDF, images ou texte ; vous pouvez en choisir plusieurs.
          </p>
          <input
            id={`${id}-files`}
            name="files"
            type="file"
            multiple
            aria-describedby={[`${id}-files-hint`, form.errorFor('files')].filter(Boolean).join(' ')}
          />
        </div>
        <SubmitButton busy={form.busy}>Envoyer ma réponse</SubmitButton>
      </form>
    </section>
  );
}
