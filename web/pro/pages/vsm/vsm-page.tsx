import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../../../shared/api.ts';
import { frenchDateTime, useLoad } from '../../../shared/data.ts';
import { Alert, Notice, SubmitButton, useForm } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import { appName } from '../../types.ts';
import { patientApi, recordHref, recordSubHref } from '../record/record-links.ts';
import { VsmItemRow } from './vsm-item-row.tsx';
import {
  emptyRow,
  isRowProblem,
  itemOf,
  rowOf,
  sectionCoding,
  type ItemRow,
  type RowControl,
  type VsmCodeSystem,
} from './vsm-items.ts';
import { PatientBanner, patientTitle, usePatientIdentity } from '../record/patient-banner.tsx';
import type { VsmDraftView, WrittenVsm } from '../../../../src/http/contracts/vsm-api.ts';
import type { ResponseOf } from '../../../../src/http/contract.ts';
import type { terminologyContracts } from '../../../../src/http/contracts/terminology-api.ts';

interface SectionState {
  readonly key: string;
  readonly label: string;
  readonly rows: readonly ItemRow[];
  readonly note: string;
}

const documentHref = (patientId: string, ins: string, id: string) =>
  `${recordSubHref('/pro/dossier/document', patientId, ins)}&id=${encodeURIComponent(id)}`;

type CheckedControl = 'code' | 'productCode';

/** One section: its items as rows the doctor adds and removes, and a free comment. */
function SectionFields({
  section,
  addId,
  idOf,
  errorFor,
  unknown,
  checkCode,
  onChange,
  onAdd,
  onRemove,
}: {
  section: SectionState;
  /** Id of the section's add button, where the focus goes when its last row is removed. */
  addId: string;
  idOf: (row: ItemRow, control: RowControl) => string;
  errorFor: (field: string) => string | undefined;
  unknown: (row: ItemRow, control: CheckedControl) => VsmCodeSystem | undefined;
  checkCode: (row: ItemRow, control: CheckedControl, system: VsmCodeSystem, code: string) => void;
  onChange: (section: SectionState) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
}) {
  const id = useId();
  const dated = sectionCoding[section.key]?.fields.some((f) => f === 'start' || f === 'end') ?? false;
  return (
    <fieldset
      className="vsm-section"
      name={section.key}
      tabIndex={-1}
      aria-describedby={errorFor(section.key)}
    >
      {/* A heading too: the form is long, and heading navigation goes from section to section. */}
      <legend>
        <h2 className="vsm-section-title">{section.label}</h2>
      </legend>
      {dated && (
        <p id={`${id}-dates`} className="hint">
          Dates : AAAA, MM/AAAA ou JJ/MM/AAAA.
        </p>
      )}
      {section.rows.map((row, index) => (
        <VsmItemRow
          key={row.id}
          sectionKey={section.key}
          row={row}
          index={index}
          controls={{
            idOf: (control) => idOf(row, control),
            errorFor: (control) => errorFor(idOf(row, control)),
            dateHintId: `${id}-dates`,
            unknown: (control) => unknown(row, control),
            checkCode: (control, system, code) => checkCode(row, control, system, code),
          }}
          onChange={(changed) =>
            onChange({ ...section, rows: section.rows.map((r) => (r.id === changed.id ? changed : r)) })
          }
          onRemove={() => onRemove(index)}
        />
      ))}
      <p>
        <button type="button" id={addId} className="button-secondary" onClick={onAdd}>
          Ajouter un élément
        </button>
      </p>
      <div className="field">
        <label htmlFor={`${id}-note`}>Commentaire</label>
        <textarea
          id={`${id}-note`}
          name={`${section.key}.note`}
          rows={2}
          value={section.note}
          onChange={(e) => onChange({ ...section, note: e.target.value })}
        />
      </div>
    </fieldset>
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
  const formId = useId();
  const nextRow = useRef(0);
  const newRowId = () => `r${(nextRow.current += 1)}`;
  const [sections, setSections] = useState<readonly SectionState[]>(() =>
    draft.sections.map((s) => ({
      key: s.key,
      label: s.label,
      rows: s.items.map((item) => rowOf(item, newRowId(), s.key)),
      note: s.note,
    })),
  );
  // Codes the server said it does not know, by control id, with the system they were checked in.
  const [unknownCodes, setUnknownCodes] = useState<Readonly<Record<string, VsmCodeSystem>>>({});
  const lastCheck = useRef<Record<string, string>>({});
  // Where the focus goes once the rows are rendered (a new object each time, so that the same id moves it again).
  const [focusRequest, setFocusRequest] = useState<{ readonly id: string }>();
  useEffect(() => {
    if (focusRequest) document.getElementById(focusRequest.id)?.focus();
  }, [focusRequest]);
  const addIdOf = (sectionKey: string) => `${formId}-${sectionKey}-add`;

  const idOf = (sectionKey: string, row: ItemRow, control: RowControl) =>
    `${formId}-${sectionKey}.${row.id}.${control}`;
  const form = useForm(async () => {
    const written = await api<WrittenVsm>('POST', patientApi(patientId, '/vsm'), {
      sections: Object.fromEntries(
        sections.map((s) => [
          s.key,
          {
            items: s.rows.map((row) => itemOf(row, s.key)).filter((item) => item !== undefined),
            note: s.note,
          },
        ]),
      ),
    });
    onWritten(written);
  });

  /** The first row the server would refuse for a reason the form sees at once, said where it is. */
  const firstProblem = () => {
    for (const section of sections) {
      for (const [index, row] of section.rows.entries()) {
        const result = itemOf(row, section.key);
        if (isRowProblem(result))
          return {
            field: idOf(section.key, row, result.control),
            message: `Section « ${section.label} », élément ${index + 1} : ${result.message}`,
          };
      }
    }
    return undefined;
  };

  const checkCode = (id: string, system: VsmCodeSystem, typed: string) => {
    const code = typed.trim();
    const key = `${system} ${code}`;
    lastCheck.current[id] = key;
    const settle = (known: boolean) => {
      if (lastCheck.current[id] !== key) return; // the doctor changed the code meanwhile
      setUnknownCodes(({ [id]: _previous, ...others }) => (known ? others : { ...others, [id]: system }));
    };
    if (code === '') return settle(true);
    api<ResponseOf<typeof terminologyContracts.check>>(
      'GET',
      `/api/pro/terminology/${encodeURIComponent(system)}/${encodeURIComponent(code)}`,
    ).then(
      ({ known }) => settle(known),
      () => settle(true), // unchecked: the deposit checks it anyway
    );
  };

  const updateSection = (changed: SectionState) =>
    setSections((all) => all.map((s) => (s.key === changed.key ? changed : s)));

  return (
    <form
      className="vsm-form"
      onSubmit={(event) => {
        const problem = firstProblem();
        if (!problem) return form.onSubmit(event);
        event.preventDefault();
        form.fail(problem.message, problem.field);
        document.getElementById(problem.field)?.focus();
      }}
      noValidate
      aria-describedby={form.errorId}
    >
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
      <p className="hint block">
        Chaque élément a un libellé ; codez-le quand vous connaissez son code (CIM-10, CCAM, ATC…), il reste
        lisible sans code.
      </p>
      {sections.map((section) => (
        <SectionFields
          key={section.key}
          section={section}
          addId={addIdOf(section.key)}
          idOf={(row, control) => idOf(section.key, row, control)}
          errorFor={form.errorFor}
          unknown={(row, control) => unknownCodes[idOf(section.key, row, control)]}
          checkCode={(row, control, system, code) => checkCode(idOf(section.key, row, control), system, code)}
          onChange={updateSection}
          onAdd={() => {
            const row = emptyRow(newRowId(), section.key);
            updateSection({ ...section, rows: [...section.rows, row] });
            setFocusRequest({ id: idOf(section.key, row, 'text') });
          }}
          onRemove={(index) => {
            const rows = section.rows.filter((_, i) => i !== index);
            updateSection({ ...section, rows });
            // Focus stays in the section: on the row that took this one's place, else on the add button.
            const next = rows[index] ?? rows[index - 1];
            setFocusRequest({ id: next ? idOf(section.key, next, 'text') : addIdOf(section.key) });
          }}
        />
      ))}
      <Alert id={form.errorId} message={form.error} />
      <SubmitButton busy={form.busy}>Déposer le volet de synthèse</SubmitButton>
    </form>
  );
}

/** The doctor writes the patient's Volet de Synthèse Médicale, prefilled, and deposits it in the DMP. */
export function VsmPage({ patientId, ins: insInLink }: { patientId: string; ins: string }) {
  const { state, reload } = useLoad<VsmDraftView>(patientApi(patientId, '/vsm/draft'));
  const [written, setWritten] = useState<WrittenVsm>();
  const patient = usePatientIdentity(patientId);
  // The INS of the link, until the record's own identity is read (a link may carry none).
  const ins = patient?.ins ?? insInLink;
  return (
    <Page
      title={patientTitle('Volet de synthèse médicale', patient, 'Volet de synthèse médicale')}
      app={appName}
    >
      <PatientBanner patient={patient} />
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
          {/* A new draft (the one that starts from the VSM just deposited) starts a new form. */}
          <VsmForm
            key={state.data.previous?.documentId ?? 'draft'}
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
