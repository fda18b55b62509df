import { useId, useState, type FormEvent } from 'react';
import { api, ApiError, messageOf } from '../../../shared/api.ts';
import { Alert, OptionalMark, SubmitButton } from '../../../shared/form.tsx';
import type { ProfileCatalogue } from './profile-types.ts';
import {
  codeLabel,
  impliedBy,
  payloadOf,
  pickedTerm,
  sectionFields,
  type FieldSpec,
} from './section-fields.ts';

/** Add (no `entryId`) or edit one entry of a section; the server's French message points at the field. */
export function EntryForm({
  base,
  section,
  catalogue,
  initial,
  entryId,
  onDone,
  onCancel,
}: {
  base: string;
  section: string;
  catalogue: ProfileCatalogue;
  initial?: Record<string, string>;
  entryId?: string;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const formId = useId();
  const errorId = `${formId}-error`;
  const [values, setValues] = useState<Record<string, string>>(() => initial ?? defaults(section, catalogue));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field: string | undefined }>();
  const fields = (sectionFields[section] ?? []).filter((f) => !f.when || f.when(values));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    setBusy(true);
    setError(undefined);
    const payload = payloadOf(section, values);
    const request = entryId
      ? api('PUT', `${base}/entries/${encodeURIComponent(entryId)}`, payload)
      : api('POST', `${base}/sections/${encodeURIComponent(section)}`, payload);
    request
      .then(() => {
        if (!entryId) setValues(defaults(section, catalogue));
        onDone();
      })
      .catch((caught: unknown) => {
        const field = caught instanceof ApiError ? fieldOf(section, caught) : undefined;
        setError({ message: messageOf(caught), field });
        if (field) form.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
      })
      .finally(() => setBusy(false));
  };

  return (
    <form onSubmit={submit} noValidate className="profile-entry-form" aria-describedby={errorId}>
      <Alert id={errorId} message={error?.message} />
      {fields.map((spec) => (
        <Input
          key={spec.name}
          spec={spec}
          catalogue={catalogue}
          value={values[spec.name] ?? ''}
          invalid={error?.field === spec.name}
          errorId={errorId}
          unit={unitOf(section, spec, values, catalogue)}
          onChange={(value) => setValues((v) => ({ ...v, [spec.name]: value, ...impliedBy(spec, value) }))}
        />
      ))}
      <div className="actions">
        <SubmitButton busy={busy}>{entryId ? 'Enregistrer les modifications' : 'Ajouter'}</SubmitButton>
        {onCancel && (
          <button type="button" className="button-secondary" onClick={onCancel}>
            Annuler
          </button>
        )}
      </div>
    </form>
  );
}

/** The field at fault: validation messages start with the field's label (« Valeur : … »). */
function fieldOf(section: string, error: ApiError): string | undefined {
  const fields = sectionFields[section] ?? [];
  if (error.field && fields.some((s) => s.name === error.field)) return error.field;
  // A refused code belongs to the words it was picked with.
  const coded = fields.find((s) => s.coded && s.coded.key === error.field);
  if (coded) return coded.name;
  const label = /^([^:]+) :/.exec(error.message)?.[1]?.trim();
  if (!label) return undefined;
  return (sectionFields[section] ?? []).find((s) => s.label.startsWith(label) || label.startsWith(s.label))
    ?.name;
}

function defaults(section: string, catalogue: ProfileCatalogue): Record<string, string> {
  const values: Record<string, string> = {};
  for (const spec of sectionFields[section] ?? []) {
    if (spec.type === 'select' && spec.required) {
      const first = spec.options?.(catalogue)[0];
      if (first) values[spec.name] = first.value;
    }
  }
  if (section === 'measurements') {
    const d = new Date();
    d.setSeconds(0, 0);
    values.at = new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }
  return values;
}

function unitOf(
  section: string,
  spec: FieldSpec,
  values: Record<string, string>,
  catalogue: ProfileCatalogue,
): string | undefined {
  if (section !== 'measurements' || (spec.name !== 'value' && spec.name !== 'value2')) return undefined;
  const kind = catalogue.measurementKinds.find((k) => k.kind === values.kind);
  const french = (n: number) => n.toLocaleString('fr-FR');
  return kind ? `En ${kind.unitLabel}, entre ${french(kind.min)} et ${french(kind.max)}.` : undefined;
}

function Input({
  spec,
  catalogue,
  value,
  invalid,
  errorId,
  unit,
  onChange,
}: {
  spec: FieldSpec;
  catalogue: ProfileCatalogue;
  value: string;
  invalid: boolean;
  errorId: string;
  unit: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = `${useId()}-${spec.name}`;
  const hint = unit ?? spec.hint;
  const hintId = hint ? `${id}-hint` : undefined;
  const term = spec.coded && pickedTerm(spec.coded, value);
  const codeId = spec.coded ? `${id}-code` : undefined;
  const common = {
    id,
    name: spec.name,
    required: spec.required,
    'aria-invalid': invalid || undefined,
    'aria-describedby':
      [hintId, term ? codeId : undefined, invalid ? errorId : undefined].filter(Boolean).join(' ') ||
      undefined,
  };
  return (
    <div className={invalid ? 'field field-error' : 'field'}>
      <label htmlFor={id}>
        {spec.label}
        {!spec.required && <OptionalMark />}
      </label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {spec.type === 'select' ? (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          {!spec.required && <option value="">—</option>}
          {spec.options?.(catalogue).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : spec.type === 'textarea' ? (
        <textarea {...common} rows={3} value={value} onChange={(e) => onChange(e.target.value)} />
      ) : spec.coded ? (
        <>
          <input
            {...common}
            type="text"
            list={`${id}-terms`}
            autoComplete="off"
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
          <datalist id={`${id}-terms`}>
            {spec.coded.terms.map((t) => (
              <option key={t.code} value={t.display} />
            ))}
          </datalist>
          {term && (
            <p id={codeId} className="hint entry-code">
              Code {codeLabel(spec.coded, term)} ({term.display})
            </p>
          )}
        </>
      ) : (
        <input
          {...common}
          type={spec.type === 'datetime' ? 'datetime-local' : spec.type === 'number' ? 'text' : spec.type}
          inputMode={spec.type === 'number' ? 'decimal' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </div>
  );
}
