import { Field, type FormState } from '../../../shared/form.tsx';
import type { UploadOptions } from '../../../shared/record-types.ts';

/** Today in France, as a date field's `max` (YYYY-MM-DD). */
const frenchToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

/**
 * What the patient says of a document they add, whether a file or photos of paper pages: its title, its type among
 * those a patient may add, and its date (never in the future).
 */
export function UploadDescriptionFields({
  form,
  types,
  typeId,
}: {
  form: FormState;
  types: UploadOptions['types'];
  /** The type select's id, unique on the page. */
  typeId: string;
}) {
  return (
    <>
      <Field
        name="title"
        label="Titre du document"
        required
        maxLength={256}
        errorId={form.errorFor('title')}
      />
      <div className="field">
        <label htmlFor={typeId}>Type de document</label>
        <select id={typeId} name="type" required aria-describedby={form.errorFor('type')}>
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
        optional
        hint="Le jour de l’examen, de la consultation ou du courrier. Laissez vide si vous ne la connaissez pas."
        max={frenchToday()}
        errorId={form.errorFor('date')}
      />
    </>
  );
}
