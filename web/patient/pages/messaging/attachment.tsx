import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { PdfViewer } from '../../../shared/pdf-viewer.tsx';
import { CdaContent, TextContent } from '../../../shared/record-documents.tsx';
import { Link } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { messagesApi, type AttachmentItem, type Thread } from './messaging-types.ts';
import { threadHref } from './inbox.tsx';

/** One attachment shown in the page: PDF drawn page by page, image, text, or a CDA made readable. */
export function AttachmentPage(props: SignedInProps & { threadId: string; id: string }) {
  const { state } = useLoad<Thread>(
    messagesApi(props.profile, `/threads/${encodeURIComponent(props.threadId)}`),
  );
  const attachment =
    state.status === 'loaded'
      ? state.data.messages.flatMap((m) => m.attachments).find((a) => a.id === props.id)
      : undefined;
  return (
    <Page title={attachment?.filename ?? 'Pièce jointe'} app={appName}>
      <p>
        <Link href={threadHref(props.threadId)}>← Retour à la conversation</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && !attachment && <Alert message="Cette pièce jointe est introuvable." />}
      {attachment && <AttachmentContent attachment={attachment} />}
    </Page>
  );
}

function AttachmentContent({ attachment: a }: { attachment: AttachmentItem }) {
  // The PDF viewer has its own « Ouvrir » and « Télécharger ».
  if (a.kind === 'pdf')
    return (
      <section className="card document-content" aria-label="Contenu de la pièce jointe">
        <PdfViewer url={a.contentUrl} downloadUrl={a.downloadUrl} title={a.filename} />
      </section>
    );
  let body = <p>Ce format ne peut pas être affiché dans la page : téléchargez le fichier.</p>;
  if (a.kind === 'cda' && a.viewUrl) body = <CdaContent url={a.viewUrl} />;
  else if (a.kind === 'image')
    body = <img className="document-image" src={a.contentUrl} alt={`Pièce jointe : ${a.filename}`} />;
  else if (a.kind === 'text') body = <TextContent url={a.contentUrl} />;
  return (
    <section className="card document-content" aria-label="Contenu de la pièce jointe">
      {a.cdaType && <p className="hint">Type de document : {a.cdaType.display}</p>}
      {body}
      <p>
        <a className="button-secondary" href={a.downloadUrl} download>
          Télécharger le fichier
        </a>
      </p>
    </section>
  );
}
