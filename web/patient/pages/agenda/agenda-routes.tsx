import { lazy, type ReactNode } from 'react';
import type { SignedInProps } from '../../app.tsx';
import { isDay, isView, today } from './agenda-types.ts';

// Each page's code loads when the page is first opened (the app's Suspense shows « Chargement… »).
const AgendaPage = lazy(() => import('./agenda-page.tsx').then((m) => ({ default: m.AgendaPage })));
const EventFormPage = lazy(() => import('./event-form.tsx').then((m) => ({ default: m.EventFormPage })));

/** The pages under `/agenda`, or undefined for another address. */
export function agendaPage(
  path: string,
  query: URLSearchParams,
  props: SignedInProps,
): ReactNode | undefined {
  const date = query.get('date');
  const day = isDay(date) ? date : today();
  switch (path) {
    case '/agenda': {
      const view = query.get('vue');
      return <AgendaPage key={props.profile.id} {...props} view={isView(view) ? view : 'mois'} day={day} />;
    }
    case '/agenda/nouveau':
      return <EventFormPage key={props.profile.id} {...props} day={day} />;
    case '/agenda/modifier': {
      const id = query.get('id');
      return id ? (
        <EventFormPage key={`${props.profile.id}-${id}`} {...props} id={id} day={day} />
      ) : undefined;
    }
    default:
      return undefined;
  }
}
