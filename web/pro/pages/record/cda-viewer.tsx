import { Fragment, useState } from 'react';
import { useLoad } from '../../../shared/data.ts';
import { frenchDate, groupedIns } from '../../../shared/format.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading } from '../../../shared/page.tsx';
import { Block, CdaEntryList } from '../../../shared/record-documents.tsx';
import type { CdaSectionView, CdaView } from '../../../shared/record-types.ts';
import { bornOn } from './patient-banner.tsx';

/**
 * A CDA R2 document read in the page, section by section. The server parses the XML (src/record/cda, tested over
 * the ANS's official examples) and sends its header and sections as JSON of plain strings; this only lays them
 * out as React elements, so nothing of the document is ever injected as markup.
 */

const phoneQuery = '(max-width: 40rem)';
const onPhone = () => typeof window !== 'undefined' && window.matchMedia(phoneQuery).matches;

const sectionTitle = (section: CdaSectionView) => section.title ?? 'Section sans titre';
const anchorOf = (index: number) => `cda-section-${index + 1}`;

/** A CDA date as precise as the document: 2019, 08/2019 or 11/08/2019. */
function cdaDate(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split('-');
  if (day) return frenchDate(iso);
  return month ? `${month}/${year}` : (year ?? iso);
}

export function CdaViewer({ url }: { url: string }) {
  const { state } = useLoad<CdaView>(url);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'failed') return <Alert message={state.message} />;
  return <CdaDocumentView cda={state.data} />;
}

function CdaDocumentView({ cda }: { cda: CdaView }) {
  // On a phone the sections start folded: the table of contents shows what the document holds, one tap opens it.
  const [open, setOpen] = useState<readonly boolean[]>(() => cda.sections.map(() => !onPhone()));
  const setOne = (index: number, value: boolean) =>
    setOpen((current) => current.map((o, i) => (i === index ? value : o)));
  const goTo = (index: number) => {
    setOne(index, true);
    // After React opened it: move there and put the keyboard focus on its title.
    requestAnimationFrame(() => {
      const summary = document.getElementById(anchorOf(index))?.querySelector('summary');
      summary?.scrollIntoView({ block: 'start' });
      summary?.focus();
    });
  };
  const patient = cda.patient;
  const patientName = [patient?.given, patient?.family?.toUpperCase()].filter(Boolean).join(' ');
  return (
    <article className="cda cda-viewer" aria-labelledby="cda-title">
      <header className="cda-header">
        <h2 id="cda-title">{cda.title}</h2>
        <dl className="facts">
          {patient && (patientName || patient.ins) && (
            <>
              <dt>Patient</dt>
              <dd>
                {[
                  patientName,
                  patient.birthDate && `${bornOn(patient.sex).toLowerCase()} ${cdaDate(patient.birthDate)}`,
                  patient.ins && `INS ${groupedIns(patient.ins)}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </dd>
            </>
          )}
          {cda.authors.map((a, i) => (
            <Fragment key={i}>
              <dt>Auteur</dt>
              <dd>{[a.name, a.profession, a.organization].filter(Boolean).join(' · ') || 'Non précisé'}</dd>
            </Fragment>
          ))}
          {cda.effectiveTime && (
            <>
              <dt>Date</dt>
              <dd>{cdaDate(cda.effectiveTime)}</dd>
            </>
          )}
          {cda.custodian && (
            <>
              <dt>Établissement</dt>
              <dd>{cda.custodian}</dd>
            </>
          )}
        </dl>
      </header>
      {cda.sections.length > 0 && (
        <nav className="cda-toc" aria-labelledby="cda-toc-title">
          <h3 id="cda-toc-title">Sommaire du document</h3>
          <ol>
            {cda.sections.map((section, i) => (
              <li key={i}>
                <a
                  href={`#${anchorOf(i)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    goTo(i);
                  }}
                >
                  {sectionTitle(section)}
                </a>
              </li>
            ))}
          </ol>
          {cda.sections.length > 1 && (
            <p className="cda-toggle-all">
              <button
                type="button"
                className="button-secondary"
                onClick={() => setOpen(open.map(() => true))}
              >
                Tout déplier
              </button>{' '}
              <button
                type="button"
                className="button-secondary"
                onClick={() => setOpen(open.map(() => false))}
              >
                Tout replier
              </button>
            </p>
          )}
        </nav>
      )}
      {cda.sections.map((section, i) => (
        <details
          key={i}
          id={anchorOf(i)}
          className="cda-section cda-fold"
          open={open[i] ?? true}
          onToggle={(event) => {
            const now = event.currentTarget.open;
            if (now !== open[i]) setOne(i, now);
          }}
        >
          <summary>
            <h3>{sectionTitle(section)}</h3>
          </summary>
          <SectionBody section={section} level={4} />
        </details>
      ))}
      {cda.sections.length === 0 && !cda.embedded && (
        <p className="notice">Ce document ne contient pas de texte à afficher : téléchargez-le.</p>
      )}
      {cda.embedded && (
        <iframe className="document-frame" title={`Document joint : ${cda.title}`} src={cda.embedded.url} />
      )}
    </article>
  );
}

/** A section's narrative (paragraphs, lists, tables), its coded data, then its subsections. */
function SectionBody({ section, level }: { section: CdaSectionView; level: 4 | 5 | 6 }) {
  const next = Math.min(level + 1, 6) as 4 | 5 | 6;
  return (
    <div className="cda-section-body">
      {section.blocks.map((b, i) => (
        <Block key={i} block={b} />
      ))}
      {section.blocks.length === 0 && section.entries.length === 0 && section.sections.length === 0 && (
        <p className="hint">Section vide.</p>
      )}
      {section.entries.length > 0 && (
        <div className="cda-entries">
          <p className="cda-entries-title" aria-hidden="true">
            Données codées
          </p>
          <CdaEntryList entries={section.entries} label={`Données codées : ${sectionTitle(section)}`} />
        </div>
      )}
      {section.sections.map((sub, i) => {
        const Heading = `h${level}` as 'h4';
        return (
          <section key={i} className="cda-section">
            <Heading>{sectionTitle(sub)}</Heading>
            <SectionBody section={sub} level={next} />
          </section>
        );
      })}
    </div>
  );
}
