import { useEffect, useRef, useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { PreventionDue, PreventionSection } from './prevention-section.tsx';
import {
  addDays,
  addMonths,
  agendaApi,
  agendaHref,
  dayLabel,
  monthLabel,
  shortDayLabel,
  timeLabel,
  today,
  weekStart,
  type Agenda,
  type AgendaEvent,
  type AgendaView,
  type PreventionItem,
} from './agenda-types.ts';
import type { ResponseOf } from '../../../../src/http/contract.ts';
import type { agendaContracts } from '../../../../src/http/contracts/agenda-api.ts';

const viewLabels: Record<AgendaView, string> = { mois: 'Mois', semaine: 'Semaine', liste: 'Liste' };
const weekdays = ['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'];

export function AgendaPage(props: SignedInProps & { view: AgendaView; day: string }) {
  const { state, reload } = useLoad<Agenda>(agendaApi(props.profile));
  const { view, day } = props;
  const minor = props.profile.id !== props.me.self.id;
  return (
    <Page title="Agenda santé" app={appName}>
      <ProfileSwitcher {...props} />
      {minor && (
        <p className="hint">
          Vous consultez l’agenda de {props.profile.firstNames.split(' ')[0]}, dont vous êtes représentant
          légal : ses rappels vous sont envoyés par e-mail.
        </p>
      )}
      <p className="actions">
        <Link className="button" href={`/agenda/nouveau?date=${day}`}>
          Ajouter un rendez-vous ou un rappel
        </Link>
      </p>
      <nav aria-label="Affichage de l’agenda" className="agenda-views">
        {(Object.keys(viewLabels) as AgendaView[]).map((v) => (
          <Link key={v} href={agendaHref(v, day)} aria-current={v === view ? 'page' : undefined}>
            {viewLabels[v]}
          </Link>
        ))}
      </nav>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && (
        <>
          {view === 'mois' && (
            <MonthView day={day} events={state.data.events} prevention={state.data.prevention} />
          )}
          {view === 'semaine' && (
            <WeekView day={day} events={state.data.events} prevention={state.data.prevention} />
          )}
          {view === 'liste' && <ListView events={state.data.events} prevention={state.data.prevention} />}
          <PreventionSection {...props} items={state.data.prevention} reload={reload} />
          <FeedSection {...props} feed={state.data.feed} reload={reload} />
        </>
      )}
    </Page>
  );
}

const booked = (events: readonly AgendaEvent[]) => events.filter((e) => e.status === 'booked');
const onDay = (events: readonly AgendaEvent[], day: string) => booked(events).filter((e) => e.day === day);

function EventItem({ event }: { event: AgendaEvent }) {
  const cancelled = event.status === 'cancelled';
  return (
    <li className={cancelled ? 'card agenda-event agenda-cancelled' : 'card agenda-event'}>
      <p className="agenda-event-time">
        {timeLabel(event.start)}
        {event.end ? ` – ${timeLabel(event.end)}` : ''}
        {cancelled && <span className="badge badge-blocked">Annulé</span>}
        {event.kind === 'reminder' && <span className="badge">Rappel</span>}
        {event.source === 'professional' && <span className="badge">Ajouté par un professionnel</span>}
        {event.source === 'app' && <span className="badge">Ajouté par un service connecté</span>}
      </p>
      <h4>
        <Link href={`/agenda/modifier?id=${encodeURIComponent(event.id)}`}>{event.title}</Link>
      </h4>
      {event.practitioner && <p className="hint">Avec {event.practitioner}</p>}
      {event.location && <p className="hint">{event.location}</p>}
    </li>
  );
}

function DayEvents({
  day,
  events,
  headingLevel,
}: {
  day: string;
  events: readonly AgendaEvent[];
  headingLevel: 3 | 4;
}) {
  // A cancelled appointment stays on its day, marked so: the patient learns of it rather than missing it.
  const list = events.filter((e) => e.day === day);
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section aria-label={dayLabel(day)} className="agenda-day">
      <Heading>{dayLabel(day)}</Heading>
      {list.length === 0 ? (
        <p className="hint">Rien de prévu.</p>
      ) : (
        <ul className="agenda-list">
          {list.map((e) => (
            <EventItem key={e.id} event={e} />
          ))}
        </ul>
      )}
    </section>
  );
}

interface ViewProps {
  readonly day: string;
  readonly events: readonly AgendaEvent[];
  /** Late, due and soon-due prevention items are shown on the period that contains today. */
  readonly prevention: readonly PreventionItem[];
}

function MonthView({ day, events, prevention }: ViewProps) {
  // A day picked in the grid: show its list (below the grid on a phone) rather than the top of the page.
  const picked = useRef(false);
  useEffect(() => {
    if (!picked.current) return;
    picked.current = false;
    document.getElementById('selected-day')?.scrollIntoView({ block: 'nearest' });
  }, [day]);
  const first = `${day.slice(0, 7)}-01`;
  const gridStart = weekStart(first);
  const weeks: string[][] = [];
  for (let d = gridStart; d < addMonths(first, 1) || weeks.length === 0;) {
    const week = Array.from({ length: 7 }, (_, i) => addDays(d, i));
    weeks.push(week);
    d = addDays(d, 7);
  }
  const current = today();
  return (
    <section aria-labelledby="month-title">
      <div className="agenda-nav">
        <Link href={agendaHref('mois', addMonths(first, -1))}>← Mois précédent</Link>
        <h2 id="month-title">{monthLabel(first)}</h2>
        <Link href={agendaHref('mois', addMonths(first, 1))}>Mois suivant →</Link>
      </div>
      {current.slice(0, 7) === first.slice(0, 7) && <PreventionDue items={prevention} />}
      <table className="agenda-month">
        <caption className="visually-hidden">Rendez-vous et rappels de {monthLabel(first)}</caption>
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th key={w} scope="col">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((d) => {
                const count = onDay(events, d).length;
                const outside = d.slice(0, 7) !== first.slice(0, 7);
                const classes = [
                  'agenda-cell',
                  outside ? 'agenda-outside' : '',
                  d === day ? 'agenda-selected' : '',
                ]
                  .filter(Boolean)
                  .join(' ');
                return (
                  <td key={d} className={classes} aria-current={d === current ? 'date' : undefined}>
                    <Link href={agendaHref('mois', d)} onClick={() => (picked.current = true)}>
                      <DayCellName day={d} count={count} />
                    </Link>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div id="selected-day">
        <DayEvents day={day} events={events} headingLevel={3} />
      </div>
    </section>
  );
}

/**
 * A day of the month grid, named by its content rather than an aria-label, so that what is seen (« 1er », « 13 »,
 * the count) is what is heard, within the full name: « mardi 1er décembre 2026, 2 éléments ».
 */
function DayCellName({ day, count }: { day: string; count: number }) {
  const label = dayLabel(day);
  const shown = day.endsWith('-01') ? '1er' : String(Number(day.slice(8)));
  const at = label.indexOf(` ${shown} `) + 1;
  return (
    <>
      <span className="agenda-cell-line">
        <span className="visually-hidden">{label.slice(0, at)}</span>
        {shown === '1er' ? (
          <>
            1<sup>er</sup>
          </>
        ) : (
          shown
        )}
        <span className="visually-hidden">
          {label.slice(at + shown.length)}
          {count > 0 && ','}
        </span>
      </span>
      {count > 0 && (
        // A block of its own: the browser puts the space between the day and the count.
        <span className="agenda-dot">
          {count}
          <span className="visually-hidden"> élément{count > 1 ? 's' : ''}</span>
        </span>
      )}
    </>
  );
}

function WeekView({ day, events, prevention }: ViewProps) {
  const monday = weekStart(day);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const current = today();
  return (
    <section aria-labelledby="week-title">
      <div className="agenda-nav">
        <Link href={agendaHref('semaine', addDays(monday, -7))}>← Semaine précédente</Link>
        <h2 id="week-title">
          Semaine du {shortDayLabel(monday)} au {shortDayLabel(addDays(monday, 6))}
        </h2>
        <Link href={agendaHref('semaine', addDays(monday, 7))}>Semaine suivante →</Link>
      </div>
      {current >= monday && current <= addDays(monday, 6) && <PreventionDue items={prevention} />}
      {days.map((d) => (
        <DayEvents key={d} day={d} events={events} headingLevel={3} />
      ))}
    </section>
  );
}

function ListView({ events, prevention }: Omit<ViewProps, 'day'>) {
  const from = today();
  const upcoming = events.filter((e) => e.day >= from);
  const days = [...new Set(upcoming.map((e) => e.day))];
  return (
    <section aria-labelledby="list-title">
      <PreventionDue items={prevention} />
      <h2 id="list-title">À venir</h2>
      {days.length === 0 ? (
        <p className="notice">Aucun rendez-vous ni rappel à venir.</p>
      ) : (
        days.map((d) => <DayEvents key={d} day={d} events={upcoming} headingLevel={3} />)
      )}
    </section>
  );
}

function FeedSection(props: SignedInProps & { feed: Agenda['feed']; reload: () => Promise<void> }) {
  const [url, setUrl] = useState<string>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string>();
  const address = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Shown once: put the keyboard on it, selected, ready to copy.
    if (url) address.current?.focus();
  }, [url]);
  const regenerate = async () => {
    if (
      props.feed.active &&
      !window.confirm(
        'Créer une nouvelle adresse ? L’ancienne cesse de fonctionner : les agendas abonnés avec elle ne se mettront plus à jour.',
      )
    )
      return;
    setError(undefined);
    setCopied(false);
    try {
      const answer = await api<ResponseOf<typeof agendaContracts.regenerateFeed>>(
        'POST',
        `${agendaApi(props.profile)}/feed`,
      );
      setUrl(answer.url);
      await props.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const revoke = async () => {
    if (!window.confirm('Révoquer l’adresse ? Les agendas abonnés avec elle ne se mettront plus à jour.'))
      return;
    setError(undefined);
    try {
      await api('DELETE', `${agendaApi(props.profile)}/feed`);
      setUrl(undefined);
      await props.reload();
      heading.current?.focus();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (an http page, a refusal): the address stays selected for a manual copy.
      address.current?.select();
    }
  };
  return (
    <section className="card" aria-labelledby="feed-title">
      <h2 id="feed-title" ref={heading} tabIndex={-1}>
        Abonnement depuis mon agenda personnel
      </h2>
      <p className="hint">
        Une adresse secrète permet à votre application d’agenda (téléphone, messagerie) d’afficher ces
        rendez-vous et recommandations. Toute personne qui la connaît peut les lire : ne la partagez pas.
      </p>
      <Alert message={error} />
      <div role="status">
        {url && (
          <div className="success feed-address">
            <label htmlFor="feed-url">Votre adresse d’abonnement (affichée une seule fois)</label>
            <input
              id="feed-url"
              ref={address}
              type="text"
              readOnly
              value={url}
              onFocus={(e) => e.target.select()}
            />
            <button type="button" className="button-secondary" onClick={() => void copy()}>
              {copied ? 'Adresse copiée' : 'Copier l’adresse'}
            </button>
          </div>
        )}
      </div>
      {props.feed.active ? (
        <p>Une adresse est active depuis le {shortDayLabel((props.feed.createdAt ?? '').slice(0, 10))}.</p>
      ) : (
        <p>Aucune adresse d’abonnement n’est active.</p>
      )}
      <div className="actions">
        <button type="button" className="button-secondary" onClick={() => void regenerate()}>
          {props.feed.active
            ? 'Créer une nouvelle adresse (l’ancienne cesse de fonctionner)'
            : 'Créer une adresse'}
        </button>
        {props.feed.active && (
          <button type="button" className="button-danger" onClick={() => void revoke()}>
            Révoquer l’adresse
          </button>
        )}
      </div>
    </section>
  );
}
