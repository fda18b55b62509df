import { useId, useRef } from 'react';
import { postForm, useLoad } from '../../../shared/data.ts';
import { Alert, Field, SubmitButton, useForm } from '../../../shared/form.tsx';
import type { RecordDocumentView } from '../../../shared/record-types.ts';
import type { ResponseOf } from '../../../../src/http/contract.ts';
import type { proRecordContracts } from '../../../../src/http/contracts/record-api.ts';

const fieldOfCode = (code: string) =>
  code.startsWith('title')
    ? 'title'
    : code.startsWith('type')
      ? 'type'
      : code.startsWith('date')
        ? 'date'
        : code.startsWith('visibility') || code.startsWith('confidentiality')
          ? 'invisiblePatient'
          : 'file';

/** Today in the professional's time zone, as a date field writes it (YYYY-MM-DD). */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Deposit a PDF with its type, the date of the act it records and the DMP's visibility options, or (with `replaces`) a new version of one's own document. */
export function DepositForm({
  action,
  replaces,
  onDone,
}: {
  action: string;
  replaces?: RecordDocumentView;
  onDone: (doc: RecordDocumentView) => void;
}) {
  const typeId = useId();
  const maxDate = today();
  const formRef = useRef<HTMLFormElement>(null);
  const { state } = useLoad<ResponseOf<typeof proRecordContracts.documentTypes>>('/api/pro/document-types');
  const form = useForm(async () => {
    if (!formRef.current) return;
    const date = new FormData(formRef.current).get('date');
    if (typeof date !== 'string' || date === '') return form.fail('Indiquez la date du document.', 'date');
    if (date > maxDate) return form.fail('La date du document ne peut pas être dans le futur.', 'date');
    const doc = await postForm<RecordDocumentView>(action, new FormData(formRef.current));
    formRef.current.reset();
    onDone(doc);
  }, fieldOfCode);
  const types = state.status === 'loaded' ? state.data.types : [];
  return (
    <form ref={formRef} onSubmit={form.onSubmit} noValidate encType="multipart/form-data">
      <Alert
        id={form.errorId}
        message={form.error ?? (state.status === 'failed' ? state.message : undefined)}
      />
      <Field
        name="title"
        label="Titre du document"
        defaultValue={replaces?.title}
        required
        maxLength={256}
        errorId={form.errorFor('title')}
      />
      <div className="field">
        <label htmlFor={typeId}>Type de document</label>
        <select
          key={types.length}
          id={typeId}
          name="type"
          defaultValue={replaces?.typeCode}
          aria-describedby={form.errorFor('type')}
        >
          {replaces && !types.some((t) => t.code === replaces.typeCode) && (
            <option value={replaces.typeCode}>{replaces.typeDisplay}</option>
          )}
          {types.map((t) => (
            <option key={t.code} value={t.code}>
              {t.display}
            </option>
          ))}
        </select>
      </div>
      <Field
        name="date"
        type="date"
        label="Date du document"
        hint="La date de l’acte : consultation, examen, intervention… Elle ne peut pas être dans le futur."
        defaultValue={maxDate}
        max={maxDate}
        required
        errorId={form.errorFor('date')}
      />
      <Field
        name="file"
        type="file"
        label="Fichier PDF"
        accept=".pdf,application/pdf"
        required
        errorId={form.errorFor('file')}
      />
      <fieldset className="visibility-options">
        <legend>Visibilité</legend>
        <p className="hint">
          Sans choix, le document est visible par le patient et par les professionnels autorisés.
        </p>
        <Choice
          name="invisiblePatient"
          label="Invisible au patient"
          hint="Le patient ne voit pas ce document tant que vous ne l’avez pas rendu visible, par exemple après la consultation d’annonce d’un diagnostic."
          errorId={form.errorFor('invisiblePatient')}
        />
        <Choice
          name="maskedProfessionals"
          label="Masqué aux autres professionnels"
          hint="Seuls vous, le patient et les professionnels qu’il a désignés administrateurs de son dossier peuvent le consulter."
        />
      </fieldset>
      <SubmitButton busy={form.busy}>
        {replaces ? 'Remplacer le document' : 'Déposer le document'}
      </SubmitButton>
    </form>
  );
}

/** One visibility option: a checkbox, its label and the plain sentence saying what it does. */
function Choice({
  name,
  label,
  hint,
  errorId,
}: {
  name: string;
  label: string;
  hint: string;
  errorId?: string;
}) {
  const id = `${useId()}-${name}`;
  return (
    <div className="choice-with-hint">
      <input
        type="checkbox"
        id={id}
        name={name}
        aria-describedby={[`${id}-hint`, errorId].filter(Boolean).join(' ')}
      />
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
    </div>
  );
}
