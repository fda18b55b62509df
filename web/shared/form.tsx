import { useId, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError, messageOf } from './api.ts';

/**
 * The error region of a form. It is always in the document, so that screen readers announce the message
 * as soon as it is written into it.
 */
export function Alert({ id, message }: { id?: string; message: string | undefined }) {
  return (
    <div id={id} role="alert" className={message ? 'alert' : 'alert alert-empty'}>
      {message}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="notice">
      {children}
    </div>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  readonly name: string;
  readonly label: string;
  readonly hint?: ReactNode;
  /** Id of the error message describing this field when it is the one at fault. */
  readonly errorId?: string | undefined;
  /** Marks the label « (facultatif) », the one wording of an optional field across both apps. */
  readonly optional?: boolean;
}

/** What follows the label of a field that may be left empty. */
export function OptionalMark() {
  return <span className="optional"> (facultatif)</span>;
}

export function Field({ name, label, hint, errorId, optional, ...input }: FieldProps) {
  const id = `${useId()}-${name}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={errorId ? 'field field-error' : 'field'}>
      <label htmlFor={id}>
        {label}
        {optional && <OptionalMark />}
      </label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
    </div>
  );
}

export interface FormState {
  readonly busy: boolean;
  readonly error: string | undefined;
  /** Id of the alert, to pass as `errorId` to the field at fault. */
  readonly errorId: string;
  /** The field the last error is about (from its code), if any. */
  readonly errorField: string | undefined;
  readonly onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  readonly fail: (message: string, field?: string) => void;
  /** `errorId` when `field` is the one at fault, for `<Field errorId={…}>`. */
  readonly errorFor: (field: string) => string | undefined;
}

/**
 * Submit handling for a form: reads the fields, runs the action once at a time, and keeps the server's
 * French message. `fieldOfCode` maps a stable error code to the field to mark as invalid.
 */
export function useForm(
  action: (values: Record<string, string>) => Promise<void>,
  fieldOfCode: (code: string) => string | undefined = () => undefined,
): FormState {
  const errorId = `${useId()}-error`;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field: string | undefined }>();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const values: Record<string, string> = {};
    new FormData(form).forEach((value, key) => {
      if (typeof value === 'string') values[key] = value;
    });
    setBusy(true);
    setError(undefined);
    action(values)
      .catch((caught: unknown) => {
        // The field the server names, if this form has it; otherwise the one the error code points to.
        const named = (name: string | undefined) =>
          name && /^[\w.-]+$/.test(name) ? form.querySelector<HTMLElement>(`[name="${name}"]`) : null;
        const field =
          caught instanceof ApiError
            ? [caught.field, fieldOfCode(caught.code)].find((name) => named(name) !== null)
            : undefined;
        setError({ message: messageOf(caught), field });
        // The user hears the alert; sighted keyboard users land on the field at fault.
        if (field) named(field)?.focus();
      })
      .finally(() => setBusy(false));
  };
  return {
    busy,
    error: error?.message,
    errorId,
    errorField: error?.field,
    onSubmit,
    fail: (message, field) => setError({ message, field }),
    errorFor: (field) => (error?.field === field ? errorId : undefined),
  };
}

export function SubmitButton({
  busy,
  danger,
  children,
}: {
  busy: boolean;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="submit"
      className={danger ? 'button-danger' : 'button'}
      // Not `disabled`: a disabled button drops the keyboard focus to the top of the page. The form ignores
      // a second submission while busy (useForm).
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
    >
      {busy ? 'Veuillez patienter…' : children}
    </button>
  );
}
