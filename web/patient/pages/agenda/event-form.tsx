import { useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { useLoad } from '../../../shared/data.ts';
import { Alert, Field, SubmitButton, useForm } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link, navigate } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import {
  agendaApi,
  agendaHref,
  dayLabel,
  instantOfLocal,
  localInputValue,
  timeLabel,
  type Agenda,
  type AgendaEvent,
} from './agenda-types.ts';

/** `/agenda/nouveau` and `/agenda/modifier?id=`: one form for appointments and free reminders. */
export function EventFormPage(props: SignedInProps & { id?: string; day: string }) {
  const { state } = useLoad<Agenda>(props.id ? agendaApi(props.profile) : undefined);
  if (!props.id) return <EventForm {...props} event={undefined} />;
  if (state.status === 'loading')
    return (
      <Page title="Modifier" app={appName}>
        <Loading />
      </Page>
    );
  if (state.status === 'failed')
    return (
      <Page title="Modifier" app={appName}>
        <Alert message={state.message} />
      </Page>
    );
  const event = state.data.events.find((e) => e.id === props.id);
  if (!event)
    return (
      <Page title="Modifier" app={appName}>
        <Alert message="Ce rendez-vous est introuvable." />
      </Page>
    );
  if (event.source !== 'patient') return <PushedEvent {...props} event={event} />;
  return <EventForm {...props} event={event} />;
}

/**
 * An appointment a professional's software or a connected service added: shown as what it is, not as a form
 * she cannot use. She may take it off her agenda.
 */
function PushedEvent(props: SignedInProps & { event: AgendaEvent }) {
  const { event } = props;
  const [error, setError] = useState<string>();
  const back = agendaHref('mois', event.day);
  const remove = async () => {
    if (!window.confirm('Supprimer définitivement cet élément de l’agenda ?')) return;
    try {
      await api('DELETE', `${agendaApi(props.profile)}/events/${encodeURIComponent(event.id)}`);
      navigate(back);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <Page title={event.title} app={appName}>
      <p>
        <Link href={back}>← Retour à l’agenda</Link>
      </p>
      <p className="notice">
        Ce rendez-vous a été ajouté{' '}
        {event.source === 'app'
          ? 'par un service que vous avez connecté'
          : 'par le logiciel d’un professionnel de santé'}{' '}
        : vous pouvez le supprimer de votre agenda, pas le modifier.
      </p>
      <Alert message={error} />
      <dl className="facts card">
        {event.status === 'cancelled' && (
          <>
            <dt>État</dt>
            <dd>
              <span className="badge badge-blocked">Annulé</span>
            </dd>
          </>
        )}
        <dt>Quand</dt>
        <dd>
          {dayLabel(event.day)}, {timeLabel(event.start)}
          {event.end ? ` – ${timeLabel(event.end)}` : ''}
        </dd>
        {event.practitioner && (
          <>
            <dt>Avec</dt>
            <dd>{event.practitioner}</dd>
          </>
        )}
        {event.location && (
          <>
            <dt>Lieu</dt>
            <dd>{event.location}</dd>
          </>
        )}
        {event.notes && (
          <>
            <dt>Notes</dt>
            <dd>{event.notes}</dd>
          </>
        )}
      </dl>
      <p className="actions">
        <button type="button" className="button-danger" onClick={() => void remove()}>
          Supprimer de mon agenda
        </button>
      </p>
    </Page>
  );
}

function EventForm(props: SignedInProps & { event: AgendaEvent | undefined; day: string }) {
  const { event } = props;
  const [kind, setKind] = useState<'appointment' | 'reminder'>(event?.kind ?? 'appointment');
  const back = agendaHref('mois', event?.day ?? props.day);
  const form = useForm(async (values) => {
    const body = {
      kind,
      title: values.title,
      start: values.start ? instantOfLocal(values.start) : '',
      end: kind === 'appointment' && values.end ? instantOfLocal(values.end) : undefined,
      location: kind === 'appointment' ? values.location : undefined,
      practitioner: kind === 'appointment' ? values.practitioner : undefined,
      notes: values.notes,
    };
    if (event) await api('PUT', `${agendaApi(props.profile)}/events/${encodeURIComponent(event.id)}`, body);
    else await api('POST', `${agendaApi(props.profile)}/events`, body);
    navigate(agendaHref('mois', body.start.slice(0, 10)));
  });
  const remove = async () => {
    if (!event) return;
    if (!window.confirm('Supprimer définitivement cet élément de l’agenda ?')) return;
    try {
      await api('DELETE', `${agendaApi(props.profile)}/events/${encodeURIComponent(event.id)}`);
      navigate(back);
    } catch (e) {
      form.fail(e instanceof Error ? e.message : 'Suppression impossible.');
    }
  };
  const title = event ? 'Modifier' : 'Ajouter à l’agenda';
  return (
    <Page title={title} app={appName}>
      <p>
        <Link href={back}>← Retour à l’agenda</Link>
      </p>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        <fieldset>
          <legend>Type</legend>
          <label className="choice">
            <input
              type="radio"
              name="kind"
              value="appointment"
              checked={kind === 'appointment'}
              onChange={() => setKind('appointment')}
            />
            <span>Rendez-vous</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="kind"
              value="reminder"
              checked={kind === 'reminder'}
              onChange={() => setKind('reminder')}
            />
            <span>Rappel personnel (par exemple : renouveler une ordonnance)</span>
          </label>
        </fieldset>
        <fieldset className="plain-fieldset">
          <legend className="visually-hidden">Détails</legend>
          <Field
            name="title"
            label="Intitulé"
            required
            defaultValue={event?.title ?? ''}
            errorId={form.errorFor('title')}
          />
          <Field
            name="start"
            type="datetime-local"
            label={kind === 'appointment' ? 'Début' : 'Date et heure'}
            required
            defaultValue={event ? localInputValue(event.start) : `${props.day}T09:00`}
            errorId={form.errorFor('start')}
          />
          {kind === 'appointment' && (
            <>
              <Field
                name="end"
                type="datetime-local"
                label="Fin"
                optional
                defaultValue={event?.end ? localInputValue(event.end) : ''}
                errorId={form.errorFor('end')}
              />
              <Field
                name="practitioner"
                label="Professionnel ou établissement"
                optional
                defaultValue={event?.practitioner ?? ''}
              />
              <Field name="location" label="Lieu" optional defaultValue={event?.location ?? ''} />
            </>
          )}
          <Field name="notes" label="Notes" optional defaultValue={event?.notes ?? ''} />
        </fieldset>
        <SubmitButton busy={form.busy}>Enregistrer</SubmitButton>
      </form>
      {event && (
        <p className="actions">
          <button type="button" className="button-danger" onClick={() => void remove()}>
            Supprimer
          </button>
        </p>
      )}
    </Page>
  );
}
