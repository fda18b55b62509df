import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { Alert } from './form.tsx';
import { fileSize, frenchDateTime, useLoad } from './data.ts';
import { frenchDate } from './format.ts';
import { Loading } from './page.tsx';
import { PdfViewer } from './pdf-viewer.tsx';
import type {
  CdaEntryView,
  CdaSectionView,
  CdaView,
  NarrativeBlock,
  RecordDocumentView,
} from './record-types.ts';

/** A record's document shown the same way in both apps: its facts and its content. */

export function MaskedBadge() {
  return <span className="badge badge-masked">Masqué aux professionnels</span>;
}

export function authorLine(doc: RecordDocumentView): string {
  if (doc.uploadedByPatient) return 'Ajouté par le patient';
  return [doc.author.name, doc.author.profession, doc.author.structure].filter(Boolean).join(' · ');
}

/** A patient's upload without « Date du document » has none (its `createdAt` is when it was added). */
const dateUnknown = (doc: RecordDocumentView) => doc.uploadedByPatient && !doc.serviceStart;

/** A document no longer current, in French. */
export const statusLabel = (status: string) =>
  ({ superseded: 'Remplacé', archived: 'Archivé', deleted: 'Supprimé' })[status] ?? status;

export function DocumentFacts({ doc }: { doc: RecordDocumentView }) {
  return (
    <dl className="facts">
      <dt>Type</dt>
      <dd>{doc.typeDisplay}</dd>
      <dt>Catégorie</dt>
      <dd>{doc.classLabel}</dd>
      <dt>Auteur</dt>
      <dd>{authorLine(doc)}</dd>
      <dt>Date du document</dt>
      <dd>{dateUnknown(doc) ? 'Non indiquée' : frenchDate(doc.createdAt)}</dd>
      <dt>Ajouté au dossier</dt>
      <dd>{frenchDateTime(doc.depositedAt)}</dd>
      <dt>Fichier</dt>
      <dd>{fileSize(doc.size)}</dd>
    </dl>
  );
}

/** The document itself: PDF drawn page by page, image, text, or a CDA read through the view endpoint. */
export function DocumentContent({ doc }: { doc: RecordDocumentView }) {
  const download = (
    <p>
      <a className="button-secondary" href={`${doc.contentUrl}?download=1`} download>
        Télécharger le document
      </a>
    </p>
  );
  // The PDF viewer has its own « Ouvrir » and « Télécharger ».
  if (doc.contentType === 'application/pdf')
    return (
      <section className="card document-content" aria-label="Contenu du document">
        <PdfViewer url={doc.contentUrl} downloadUrl={`${doc.contentUrl}?download=1`} title={doc.title} />
      </section>
    );
  let body: ReactNode = <p>Ce format ne peut pas être affiché dans la page : téléchargez le document.</p>;
  if (doc.contentType === 'image/jpeg' || doc.contentType === 'image/png')
    body = <img className="document-image" src={doc.contentUrl} alt={`Document : ${doc.title}`} />;
  else if (doc.contentType === 'text/plain') body = <TextContent url={doc.contentUrl} />;
  else if (doc.viewUrl) body = <CdaContent url={doc.viewUrl} />;
  return (
    <section className="card document-content" aria-label="Contenu du document">
      {body}
      {download}
    </section>
  );
}

export function TextContent({ url }: { url: string }) {
  const [text, setText] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    fetch(url, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then(setText)
      .catch(() => setFailed(true));
  }, [url]);
  if (failed) return <Alert message="Le document n’a pas pu être ouvert." />;
  return text === undefined ? <Loading /> : <pre className="document-text">{text}</pre>;
}

export function CdaContent({ url }: { url: string }) {
  const { state } = useLoad<CdaView>(url);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'failed') return <Alert message={state.message} />;
  const cda = state.data;
  return (
    <article className="cda" aria-label="Document structuré">
      <h2>{cda.title}</h2>
      <dl className="facts">
        {cda.effectiveTime && (
          <>
            <dt>Date</dt>
            <dd>{frenchDate(cda.effectiveTime)}</dd>
          </>
        )}
        {cda.authors.map((a, i) => (
          <Fragment key={i}>
            <dt>Auteur</dt>
            <dd>{[a.name, a.profession, a.organization].filter(Boolean).join(' · ')}</dd>
          </Fragment>
        ))}
        {cda.custodian && (
          <>
            <dt>Établissement</dt>
            <dd>{cda.custodian}</dd>
          </>
        )}
      </dl>
      {cda.sections.map((s, i) => (
        <CdaSection key={i} section={s} level={3} />
      ))}
      {cda.embedded?.mediaType === 'application/pdf' ? (
        <PdfViewer url={cda.embedded.url} downloadUrl={`${cda.embedded.url}?download=1`} title={cda.title} />
      ) : (
        cda.embedded && (
          <iframe className="document-frame" title={`Document joint : ${cda.title}`} src={cda.embedded.url} />
        )
      )}
    </article>
  );
}

function CdaSection({ section, level }: { section: CdaSectionView; level: 3 | 4 | 5 }) {
  const Heading = `h${level}` as 'h3';
  const next = Math.min(level + 1, 5) as 3 | 4 | 5;
  return (
    <section className="cda-section">
      {section.title && <Heading>{section.title}</Heading>}
      {section.blocks.map((b, i) => (
        <Block key={i} block={b} />
      ))}
      {section.entries.length > 0 && (
        <div className="cda-entries">
          <p className="cda-entries-title" aria-hidden="true">
            Données codées
          </p>
          <CdaEntryList
            entries={section.entries}
            label={`Données codées${section.title ? ` : ${section.title}` : ''}`}
          />
        </div>
      )}
      {section.sections.map((s, i) => (
        <CdaSection key={i} section={s} level={next} />
      ))}
    </section>
  );
}

/** A CDA date as precise as the document: 2019, 08/2019 or 11/08/2019. */
function cdaDate(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split('-');
  if (day) return frenchDate(iso);
  return month ? `${month}/${year}` : (year ?? iso);
}

export function CdaEntryList({ entries, label }: { entries: readonly CdaEntryView[]; label: string }) {
  return (
    <ul className="cda-entry-list" aria-label={label}>
      {entries.map((entry, i) => (
        <CdaEntryItem key={i} entry={entry} />
      ))}
    </ul>
  );
}

function CdaEntryItem({ entry }: { entry: CdaEntryView }) {
  return (
    <li className="cda-entry">
      <p className="cda-entry-label">
        {entry.relation && <span className="cda-entry-relation">{entry.relation} : </span>}
        {entry.negated && <strong>Absence : </strong>}
        <strong>{entry.label}</strong>
        {entry.codes.map((code, i) => (
          <Fragment key={i}>
            {' '}
            <span className="cda-code">{code}</span>
          </Fragment>
        ))}
      </p>
      {entry.facts.length > 0 && (
        <dl className="cda-entry-facts">
          {entry.facts.map((fact, i) => (
            <div key={i} className={fact.alert ? 'cda-alert' : undefined}>
              <dt>{`${fact.term}\u00a0:`}</dt>{' '}
              <dd>
                {fact.date ? cdaDate(fact.date) : fact.text}
                {fact.alert && <span className="cda-alert-mark"> (hors normes)</span>}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {entry.entries.length > 0 && (
        <CdaEntryList entries={entry.entries} label={`Détails : ${entry.label}`} />
      )}
    </li>
  );
}

export function Block({ block }: { block: NarrativeBlock }) {
  if (block.kind === 'paragraph') return <p className="cda-text">{block.text}</p>;
  if (block.kind === 'list') {
    const items = block.items.map((item, i) => <li key={i}>{item}</li>);
    return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
  }
  return (
    <div className="table-scroll">
      <table>
        {block.caption && <caption>{block.caption}</caption>}
        {block.header.length > 0 && (
          <thead>
            {block.header.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <th key={j} scope="col">
                    {cell}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
        )}
        <tbody>
          {block.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
