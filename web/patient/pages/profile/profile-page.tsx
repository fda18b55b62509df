import { AdministratorHelp } from '../record/administrator-help.tsx';
import { useEffect, useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { RecordNav, recordApi } from '../record/record-nav.tsx';
import { AdvanceDirectives } from './directives.tsx';
import { EntryForm } from './entry-form.tsx';
import { MeasurementChart } from './measurement-chart.tsx';
import { measurementPoints, type ProfileAnswer, type ProfileEntryView } from './profile-types.ts';
import { entryCodeLabel, formValuesOf, sectionIntro } from './section-fields.ts';
import { DownloadRecord } from '../portability/download-record.tsx';
import { PatientSummary } from './patient-summary.tsx';

const sectionHref = (section: string) => `/dossier-medical/profil?section=${encodeURIComponent(section)}`;

/** "Mon profil médical": an overview of every section, or one section with its entries and forms. */
export function ProfilePage(props: SignedInProps & { section: string | null }) {
  const base = recordApi(props.profile, '/profile');
  const { state, reload } = useLoad<ProfileAnswer>(base);
  const label =
    state.status === 'loaded' && props.section ? state.data.catalogue.areaLabels[props.section] : undefined;
  return (
    <Page title={label ? `Profil médical : ${label}` : 'Mon profil médical'} app={appName}>
      <ProfileSwitcher {...props} />
      <RecordNav current="/dossier-medical/profil" />
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' &&
        (props.section && label ? (
          <SectionView
            base={base}
            section={props.section}
            answer={state.data}
            minor={props.profile.minor}
            reload={reload}
          />
        ) : (
          <>
            <Overview answer={state.data} />
            <DownloadRecord profile={props.profile} own={props.profile.id === props.me.self.id} />
            <PatientSummary profile={props.profile} own={props.profile.id === props.me.self.id} />
          </>
        ))}
    </Page>
  );
}

function Overview({ answer }: { answer: ProfileAnswer }) {
  return (
    <>
      <p>
        Les informations de santé que vous renseignez ici aident les professionnels qui vous soignent. Vous
        pouvez masquer une rubrique : seuls vos médecins administrateurs la verront.
      </p>
      <AdministratorHelp />
      <ul className="profile-overview">
        {answer.catalogue.sections.map(({ section, label }) => {
          const entries = answer.entries.filter((e) => e.section === section);
          const masked = answer.masked.includes(section);
          return (
            <li key={section} className="card">
              <h2>
                <Link href={sectionHref(section)}>{label}</Link>
              </h2>
              <p className="hint">
                {entries.length === 0
                  ? 'Rien de renseigné.'
                  : `${entries.length} information${entries.length > 1 ? 's' : ''}`}
                {masked && ' · Masquée aux professionnels'}
              </p>
              {entries.length > 0 && (
                <ul>
                  {latestOf(section, entries).map((e) => (
                    <li key={e.id}>{e.summary}</li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The overview shows a few lines: the latest value of each measurement, the first entries elsewhere. */
function latestOf(section: string, entries: readonly ProfileEntryView[]): ProfileEntryView[] {
  if (section !== 'measurements') return entries.slice(0, 3);
  const seen = new Set<unknown>();
  return entries.filter((e) => !seen.has(e.data.kind) && seen.add(e.data.kind)).slice(0, 4);
}

function SectionView({
  base,
  section,
  answer,
  minor,
  reload,
}: {
  base: string;
  section: string;
  answer: ProfileAnswer;
  minor: boolean;
  reload: () => Promise<void>;
}) {
  const entries = answer.entries.filter((e) => e.section === section);
  const [editing, setEditing] = useState<string>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  // Where the keyboard goes once the list has re-rendered: the pressed button may have been replaced.
  const [focusTarget, setFocusTarget] = useState<{ entryId?: string; at: 'form' | 'edit' | 'list' }>();
  useEffect(() => {
    if (!focusTarget) return;
    const item = focusTarget.entryId ? document.getElementById(`entry-${focusTarget.entryId}`) : null;
    const target =
      focusTarget.at === 'form'
        ? item?.querySelector<HTMLElement>('input, select, textarea')
        : focusTarget.at === 'edit'
          ? item?.querySelector<HTMLElement>('button')
          : document.getElementById('entries-title');
    (target ?? document.getElementById('entries-title'))?.focus();
    setFocusTarget(undefined);
  }, [focusTarget]);
  const startEditing = (entryId: string) => {
    setEditing(entryId);
    setFocusTarget({ entryId, at: 'form' });
  };
  const stopEditing = (entryId: string) => {
    setEditing(undefined);
    setFocusTarget({ entryId, at: 'edit' });
  };
  const done = (text: string, focus?: { entryId?: string; at: 'edit' | 'list' }) => {
    setEditing(undefined);
    setMessage({ ok: true, text });
    void reload().then(() => focus && setFocusTarget(focus));
  };
  const remove = (entry: ProfileEntryView) => {
    if (!window.confirm(`Supprimer « ${entry.summary} » ?`)) return;
    api('DELETE', `${base}/entries/${encodeURIComponent(entry.id)}`)
      .then(() => done('L’information est supprimée.', { at: 'list' }))
      .catch((error: unknown) => setMessage({ ok: false, text: messageOf(error) }));
  };
  const single = section === 'blood-group';
  return (
    <>
      <p>
        <Link href="/dossier-medical/profil">← Toutes les rubriques</Link>
      </p>
      <p>{sectionIntro[section]}</p>
      <MaskToggle
        base={base}
        section={section}
        label={answer.catalogue.areaLabels[section] ?? section}
        masked={answer.masked.includes(section)}
        reload={reload}
      />
      <Alert message={message && !message.ok ? message.text : undefined} />
      <div role="status">{message?.ok && <p className="success">{message.text}</p>}</div>
      {section === 'measurements' && <Charts answer={answer} />}
      <section aria-labelledby="entries-title">
        <h2 id="entries-title" tabIndex={-1}>
          {section === 'measurements' ? 'Toutes mes mesures' : 'Ce que j’ai renseigné'}
        </h2>
        {entries.length === 0 ? (
          <p>Rien de renseigné pour l’instant.</p>
        ) : (
          <ul className="profile-entries">
            {entries.map((entry) => (
              <li key={entry.id} id={`entry-${entry.id}`} className="profile-entry">
                {editing === entry.id ? (
                  <EntryForm
                    base={base}
                    section={section}
                    catalogue={answer.catalogue}
                    entryId={entry.id}
                    initial={formValuesOf(entry.data)}
                    onDone={() =>
                      done('Vos modifications sont enregistrées.', { entryId: entry.id, at: 'edit' })
                    }
                    onCancel={() => stopEditing(entry.id)}
                  />
                ) : (
                  <>
                    <span>{entry.summary}</span>
                    {entryCodeLabel(entry.data) && (
                      <span className="hint entry-code">Code {entryCodeLabel(entry.data)}</span>
                    )}
                    {entry.source !== 'patient' ? (
                      <span className="hint"> — transmis par {entry.sourceName ?? 'une application'}</span>
                    ) : (
                      <span className="entry-actions">
                        <button
                          type="button"
                          className="button-secondary"
                          onClick={() => startEditing(entry.id)}
                          aria-label={`Modifier « ${entry.summary} »`}
                        >
                          Modifier
                        </button>
                        <button
                          type="button"
                          className="button-secondary"
                          onClick={() => remove(entry)}
                          aria-label={`Supprimer « ${entry.summary} »`}
                        >
                          Supprimer
                        </button>
                      </span>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {!(single && entries.length > 0) && (
        <section className="card" aria-labelledby="add-title">
          <h2 id="add-title">Ajouter</h2>
          <EntryForm
            base={base}
            section={section}
            catalogue={answer.catalogue}
            onDone={() => done('L’information est ajoutée à votre profil.')}
          />
        </section>
      )}
      {section === 'wishes' && <AdvanceDirectives base={base} minor={minor} />}
    </>
  );
}

function Charts({ answer }: { answer: ProfileAnswer }) {
  const kinds = answer.catalogue.measurementKinds
    .map((kind) => ({ kind, points: measurementPoints(answer.entries, kind.kind) }))
    .filter((k) => k.points.length > 0);
  if (kinds.length === 0) return null;
  return (
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">Évolution</h2>
      {kinds.map(({ kind, points }) => (
        <MeasurementChart key={kind.kind} kind={kind} points={points} />
      ))}
    </section>
  );
}

/** Hides a section from professionals (administrateurs still see it); the care history uses the same API. */
export function MaskToggle({
  base,
  section,
  label,
  masked,
  reload,
}: {
  base: string;
  section: string;
  label: string;
  masked: boolean;
  reload: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const change = (next: boolean) => {
    // Ignored while the previous change is on its way (the box keeps the keyboard focus: it is never disabled).
    if (busy) return;
    setBusy(true);
    setError(undefined);
    api('PUT', `${base}/masks/${encodeURIComponent(section)}`, { masked: next })
      .then(reload)
      .catch((caught: unknown) => setError(messageOf(caught)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="mask-toggle">
      <Alert message={error} />
      <label>
        <input
          type="checkbox"
          checked={masked}
          aria-busy={busy || undefined}
          onChange={(e) => change(e.target.checked)}
        />{' '}
        Masquer « {label} » aux professionnels de santé
      </label>
      <p className="hint">
        Une rubrique masquée n’est visible que par vos médecins administrateurs (et en urgence si vous
        l’autorisez).
      </p>
    </div>
  );
}
