import { useId, useRef } from 'react';
import { postForm, useLoad } from '../../../shared/data.ts';
import { Alert, Field, SubmitButton, useForm } from '../../../shared/form.tsx';
import type { RecordDocumentView, TypeOption } from '../../../shared/record-types.ts';

const fieldOfCode = (code: string) =>
  code.startsWith('title') ? 'title' : code.startsWith('type') ? 'type' : 'file';

/** Deposit a PDF with its type, or (with `replaces`) a new version of one's own document. */
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
  const formRef = useRef<HTMLFormElement>(null);
  const { state } = useLoad<{ types: TypeOption[] }>('/api/pro/document-types');
  const form = useForm(async () => {
    if (!formRef.current) return;
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
        name="file"
        type="file"
        label="Fichier PDF"
        accept=".pdf,application/pdf"
        required
        errorId={form.errorFor('file')}
      />
      <SubmitButton busy={form.busy}>
        {replaces ? 'Remplacer le document' : 'Déposer le document'}
      </SubmitButton>
    </form>
  );
}
