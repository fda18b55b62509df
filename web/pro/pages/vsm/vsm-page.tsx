import { useId, useState } from 'react';
import { api } from '../../../shared/api.ts';
import { frenchDateTime, useLoad } from '../../../shared/data.ts';
import { Alert, Notice, SubmitButton, useForm } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import { appName } from '../../types.ts';
import { patientApi, recordHref, recordSubHref } from '../record/patient-record.tsx';

interface VsmSectionView {
  readonly key: string;
  readonly label: string;
  readonly items: readonly string[];
  readonly note: string;
}

interface VsmDraftView {
  readonly patient: { readonly name: string; readonly ins: string; readonly birthDate: string };
  readonly sections: readonly VsmSectionView[];
  readonly previous: {
    readonly documentId: string;
    readonly title: string;
    readonly createdAt: string;
    readonly authorName: string;
    readonly ownDocument: boolean;
  } | null;
  readonly profileUnavailable: readonly { readonly section: string; readonly label: string }[];
  readonly notices: readonly string[];
}

interface WrittenVsm {
  readonly id: string;
  readonly versionNumber: number;
  readonly replacedId: string | null;
}

const documentHref = (patientId: string, ins: string, id: string) =>
  `${recordSubHref('/pro/dossier/document', patientId, ins)}&id=${encodeURIComponent(id)}`;

/** One section: its items one per line, and a free comment. */
function SectionFields({ section }: { section: VsmSectionView }) {
  const id = useId();
  return (
    <fieldset className="vsm-section">
      <legend>{section.label}</legend>
      <div className="field">
        <label htmlFor={`${id}-items`}>Éléments (un par ligne)</label>
        <textarea
          id={`${id}-items`}
          name={`${section.key}.items`}
          rows={Math.min(Math.max(section.items.length + 1, 3), 12)}
          defaultValue={section.items.join('\n')}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Commentaire</label>
        <textarea id={`${id}-note`} name={`${section.key}.note`} rows={2} defaultValue={section.note} />
      </div>
    </fieldset>
  );
}

/** The form's fields back into the API's shape: `{ <key>: { items, note } }`. */
function sectionsOf(values: Record<string, string>, keys: readonly string[]) {
  return Object.fromEntries(
    keys.map((key) => [
      key,
      { items: (values[`${key}.items`] ?? '').split('\n'), note: values[`${key}.note`] ?? '' },
    ]),
  );
}

function VsmForm({
  patientId,
  ins,
  draft,
  onWritten,
}: {
  patientId: string;
  ins: string;
  draft: VsmDraftView;
  onWritten: (written: WrittenVsm) => void;
}) {
  const keys = draft.sections.map((s) => s.key);
  const form = useForm(async (values) => {
    const written = await api<WrittenVsm>('POST', patientApi(patientId, '/vsm'), {
      sections: sectionsOf(values, keys),
    });
    onWritten(written);
  });
  return (
    <form onSubmit={form.onSubmit} noValidate aria-describedby={form.errorId}>
      {draft.previous ? (
        <p>
          Prérempli à partir du{' '}
          <Link href={documentHref(patientId, ins, draft.previous.documentId)}>
            volet du {frenchDateTime(draft.previous.createdAt)}
          </Link>{' '}
          ({draft.previous.authorName}) et du profil médical du patient.
          {draft.previous.ownDocument
            ? ' Votre dépôt remplacera ce volet.'
            : ' Votre dépôt s’ajoutera au volet de ce confrère.'}
        </p>
      ) : (
        <p>Prérempli à partir du profil médical du patient, tel que vous pouvez le consulter.</p>
      )}
      {draft.profileUnavailable.length > 0 && (
        <p className="hint block">
          Rubriques du profil non accessibles (masquées par le patient ou hors de votre habilitation) :{' '}
          {draft.profileUnavailable.map((u) => u.label).join(', ')}.
        </p>
      )}
      {draft.sections.map((section) => (
        <SectionFields key={section.key} section={section} />
      ))}
      <Alert id={form.errorId} message={form.error} />
      <SubmitButton busy={form.busy}>Déposer le volet de synthèse</SubmitButton>
    </form>
  );
}

/** The doctor writes the patient's Volet de Synthèse Médicale, prefilled, and deposits it in the DMP. */
export function VsmPage({ patientId, ins }: { patientId: string; ins: string }) {
  const { state, reload } = useLoad<VsmDraftView>(patientApi(patientId, '/vsm/draft'));
  const [written, setWritten] = useState<WrittenVsm>();
  const name = state.status === 'loaded' ? state.data.patient.name : undefined;
  return (
    <Page title={name ? `Volet de synthèse médicale de ${name}` : 'Volet de synthèse médicale'} app={appName}>
      <p>
        <Link href={recordHref(patientId, ins)}>← Documents du patient</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {written && (
        <Notice>
          Volet de synthèse déposé dans le dossier (version {written.versionNumber}
          {written.replacedId ? ', il remplace le précédent' : ''}).{' '}
          <Link href={documentHref(patientId, ins, written.id)}>Voir le document déposé</Link>
        </Notice>
      )}
      {state.status === 'loaded' && (
        <>
          {state.data.notices.map((notice) => (
            <Notice key={notice}>{notice}</Notice>
          ))}
          <VsmForm
            key={written?.id ?? 'draft'}
            patientId={patientId}
            ins={ins}
            draft={state.data}
            onWritten={(w) => {
              setWritten(w);
              window.scrollTo({ top: 0 });
              void reload();
            }}
          />
        </>
      )}
    </Page>
  );
}
