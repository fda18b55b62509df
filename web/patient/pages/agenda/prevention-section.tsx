import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, messageOf } from '../../../shared/api.ts';
import { Alert } from '../../../shared/form.tsx';
import type { SignedInProps } from '../../app.tsx';
import { agendaApi, monthLabel, shortDayLabel, today, type PreventionItem } from './agenda-types.ts';

/** The id of an item's heading: focus lands there after a change, and the « à faire » banner links to it. */
export const preventionHeadingId = (item: PreventionItem) => `prevention-${item.key.replace(/[^\w-]/g, '-')}`;

const urgencyBadges: Record<NonNullable<PreventionItem['urgency']> | 'later', [string, string]> = {
  overdue: ['En retard', 'badge badge-blocked'],
  due: ['À faire', 'badge badge-soon'],
  soon: ['Bientôt', 'badge badge-soon'],
  later: ['À prévoir', 'badge'],
};

/** « En retard depuis le … », « À faire avant le … », « Fait le … »: what the patient needs to know first. */
function StatusLine({ item }: { item: PreventionItem }) {
  if (item.status === 'done')
    return (
      <p className="prevention-status">
        <span className="badge">Fait</span> le {shortDayLabel(item.doneOn ?? item.dueFrom)}
        {item.doneBy === 'document' && ' (d’après un document de votre dossier)'}
        {item.doneBy === 'vaccination' && ' (d’après les vaccinations de votre profil médical)'}
      </p>
    );
  if (item.status === 'not-done')
    return (
      <p className="prevention-status">
        <span className="badge">Non fait</span>
      </p>
    );
  const urgency = item.urgency ?? 'later';
  const [label, className] = urgencyBadges[urgency];
  const when =
    urgency === 'overdue'
      ? `depuis le ${shortDayLabel(item.overdueSince ?? item.dueUntil)}`
      : urgency === 'due'
        ? `avant le ${shortDayLabel(item.dueUntil)}`
        : `à partir du ${shortDayLabel(item.dueFrom)}`;
  return (
    <p className="prevention-status">
      <span className={className}>{label}</span> {when}
    </p>
  );
}

/**
 * The items of the prevention calendar that need the patient now: late, due, or due within three months. Shown
 * at the top of the list view, and of the month or week that contains today.
 */
export function PreventionDue({ items }: { items: readonly PreventionItem[] }) {
  const due = items.filter((i) => i.status === 'to-plan' && i.urgency !== undefined);
  if (due.length === 0) return null;
  return (
    <section className="card prevention-due" aria-labelledby="prevention-due-title">
      <h2 id="prevention-due-title">Prévention à faire</h2>
      <ul className="agenda-list">
        {due.map((item) => (
          <li key={item.key}>
            <a href={`#${preventionHeadingId(item)}`}>{item.label}</a>
            {item.kind === 'vaccination' && ` (${item.occurrenceLabel})`}
            <StatusLine item={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** « C’est fait » opens this: the day it was done, today by default, neither in the future nor before birth. */
function DoneForm(props: {
  item: PreventionItem;
  birthDate: string;
  busy: boolean;
  error: { message: string; field?: string | undefined } | undefined;
  onSubmit: (doneOn: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [day, setDay] = useState(today());
  const input = useRef<HTMLInputElement>(null);
  // Opened by « C’est fait »: the keyboard goes straight to the date.
  useEffect(() => input.current?.focus(), []);
  const fieldError = props.error?.field === 'doneOn';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!props.busy) props.onSubmit(day);
  };
  return (
    // The server checks the date and says what is wrong in French (the browser's own messages are not).
    <form className="prevention-done-form" onSubmit={submit} noValidate>
      <div className={fieldError ? 'field field-error' : 'field'}>
        <label htmlFor={`${id}-day`}>Fait le</label>
        <p id={`${id}-hint`} className="hint">
          Le jour du {props.item.kind === 'vaccination' ? 'vaccin' : 'dépistage'}, même approximatif.
        </p>
        <input
          id={`${id}-day`}
          ref={input}
          name="doneOn"
          type="date"
          value={day}
          min={props.birthDate}
          max={today()}
          required
          onChange={(e) => setDay(e.target.value)}
          aria-invalid={fieldError || undefined}
          aria-describedby={[`${id}-hint`, fieldError ? `${id}-error` : ''].filter(Boolean).join(' ')}
        />
      </div>
      <Alert id={`${id}-error`} message={props.error?.message} />
      <div className="actions">
        <button type="submit" className="button" aria-disabled={props.busy || undefined}>
          Enregistrer
        </button>
        <button type="button" className="button-secondary" onClick={props.onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}

/**
 * The prevention calendar of the profile: « C’est fait » records the day it was done, and the next due date the
 * rules compute from it is shown (« Prochain : mars 2029 »). « Ce n’est pas fait » only takes back a wrong
 * « fait » the patient recorded (what a document or a vaccination of the record proves stays).
 */
export function PreventionSection(
  props: SignedInProps & { items: readonly PreventionItem[]; reload: () => Promise<void> },
) {
  const [error, setError] = useState<{ key: string; message: string; field?: string | undefined }>();
  const [busy, setBusy] = useState<string>();
  const [open, setOpen] = useState<string>();
  const decide = async (item: PreventionItem, body: { status: 'done' | null; doneOn?: string }) => {
    setError(undefined);
    setBusy(item.key);
    try {
      await api(
        'PUT',
        `${agendaApi(props.profile)}/prevention/${encodeURIComponent(item.itemId)}/${encodeURIComponent(item.occurrence)}`,
        body,
      );
      await props.reload();
      setOpen(undefined);
      // The pressed button is gone (« C’est fait » once done): keep keyboard users on the item they changed.
      document.getElementById(preventionHeadingId(item))?.focus();
    } catch (e) {
      setError({ key: item.key, message: messageOf(e), field: e instanceof ApiError ? e.field : undefined });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section className="card" aria-labelledby="prevention-title">
      <h2 id="prevention-title">Prévention : dépistages et vaccins</h2>
      <p className="hint">
        Recommandations du calendrier des vaccinations et des dépistages organisés, selon l’âge, le sexe, les
        vaccinations du profil médical et les documents du dossier.
      </p>
      {props.items.length === 0 ? (
        <p>Aucune recommandation pour les douze prochains mois.</p>
      ) : (
        <ul className="agenda-list">
          {props.items.map((item) => {
            const itemError = error?.key === item.key ? error : undefined;
            return (
              <li key={item.key} className="agenda-prevention">
                <h3 id={preventionHeadingId(item)} tabIndex={-1}>
                  {item.label}
                </h3>
                {item.kind === 'vaccination' && <p>{item.occurrenceLabel}</p>}
                <StatusLine item={item} />
                {item.status === 'done' && (
                  <p>
                    {item.nextDue
                      ? `Prochain : ${monthLabel(item.nextDue)}`
                      : 'Pas d’autre rappel prévu par le calendrier.'}
                  </p>
                )}
                {item.status !== 'done' && (
                  <p className="hint">
                    Recommandé entre le {shortDayLabel(item.dueFrom)} et le {shortDayLabel(item.dueUntil)}.
                  </p>
                )}
                <div className="actions" role="group" aria-label={`${item.label}, ${item.occurrenceLabel}`}>
                  {item.status !== 'done' && open !== item.key && (
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => {
                        setError(undefined);
                        setOpen(item.key);
                      }}
                    >
                      C’est fait
                    </button>
                  )}
                  {item.status === 'done' && item.doneBy === 'decision' && (
                    <button
                      type="button"
                      className="link-button"
                      aria-disabled={busy === item.key || undefined}
                      onClick={() => busy !== item.key && void decide(item, { status: null })}
                    >
                      Ce n’est pas fait
                    </button>
                  )}
                  {item.status === 'not-done' && (
                    <button
                      type="button"
                      className="link-button"
                      aria-disabled={busy === item.key || undefined}
                      onClick={() => busy !== item.key && void decide(item, { status: null })}
                    >
                      Annuler mon choix
                    </button>
                  )}
                </div>
                {item.status !== 'done' && open === item.key && (
                  <DoneForm
                    item={item}
                    birthDate={props.profile.birthDate}
                    busy={busy === item.key}
                    error={itemError}
                    onSubmit={(doneOn) => void decide(item, { status: 'done', doneOn })}
                    onCancel={() => {
                      setOpen(undefined);
                      setError(undefined);
                      document.getElementById(preventionHeadingId(item))?.focus();
                    }}
                  />
                )}
                {itemError && open !== item.key && <Alert message={itemError.message} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
