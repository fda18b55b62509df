import { useId, useState, type FormEvent } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { postForm, useLoad } from '../../../shared/data.ts';
import { Alert, OptionalMark, SubmitButton } from '../../../shared/form.tsx';
import { Loading } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import type { DirectivesView } from '../../../../src/http/contracts/profile-api.ts';

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));

/**
 * Directives anticipées: written here (Carnet makes the PDF) or uploaded, and filed in the record as a document
 * "Directives anticipées" that professionals read under the habilitation matrix. Not offered for a minor.
 */
export function AdvanceDirectives({ base, minor }: { base: string; minor: boolean }) {
  if (minor) {
    return (
      <section className="card" aria-labelledby="directives-title">
        <h2 id="directives-title">Directives anticipées</h2>
        <p>
          Les directives anticipées ne peuvent être rédigées que par une personne majeure, pour elle-même.
        </p>
      </section>
    );
  }
  return <DirectivesPanel base={base} />;
}

function DirectivesPanel({ base }: { base: string }) {
  const { state, reload } = useLoad<DirectivesView>(`${base}/directives`);
  const [done, setDone] = useState<string>();
  const finished = (text: string) => {
    setDone(text);
    void reload();
  };
  return (
    <section className="card" aria-labelledby="directives-title">
      <h2 id="directives-title">Directives anticipées</h2>
      <p>
        Vos directives anticipées disent ce que vous souhaitez pour votre fin de vie si vous ne pouvez plus
        l’exprimer. Elles sont enregistrées dans vos documents ; vous pouvez les modifier à tout moment en en
        rédigeant de nouvelles.
      </p>
      <div role="status">{done && <p className="success">{done}</p>}</div>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && state.data.documents.length > 0 && (
        <ul className="directives-documents">
          {state.data.documents.map((d) => (
            <li key={d.id}>
              <Link href={`/dossier-medical/document?id=${encodeURIComponent(d.id)}`}>
                {d.title} — enregistrées le {longDate(d.depositedAt)}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <DirectivesForm base={base} onDone={() => finished('Vos directives anticipées sont enregistrées.')} />
      <DirectivesUpload base={base} onDone={() => finished('Votre document est enregistré.')} />
    </section>
  );
}

function DirectivesForm({ base, onDone }: { base: string; onDone: () => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = Object.fromEntries(new FormData(form).entries());
    setBusy(true);
    setError(undefined);
    api('POST', `${base}/directives`, values)
      .then(() => {
        form.reset();
        onDone();
      })
      .catch((caught: unknown) => setError(messageOf(caught)))
      .finally(() => setBusy(false));
  };
  const area = (name: string, label: string, required = false) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>
        {label}
        {!required && <OptionalMark />}
      </label>
      <textarea id={`${id}-${name}`} name={name} rows={4} required={required} />
    </div>
  );
  return (
    <details>
      <summary>Rédiger mes directives anticipées</summary>
      <form onSubmit={submit} noValidate>
        <Alert message={error} />
        {area(
          'lifeSupport',
          'Mes volontés sur les traitements de maintien en vie (réanimation, respiration artificielle, dialyse, alimentation artificielle)',
          true,
        )}
        {area('painRelief', 'Mes volontés sur le soulagement de la souffrance et la sédation')}
        {area('otherWishes', 'Autres volontés')}
        {area('trustedPerson', 'Ma personne de confiance (nom, téléphone)')}
        <div className="field">
          <label htmlFor={`${id}-place`}>Fait à</label>
          <input id={`${id}-place`} name="place" required />
        </div>
        <SubmitButton busy={busy}>Enregistrer mes directives (PDF)</SubmitButton>
      </form>
    </details>
  );
}

function DirectivesUpload({ base, onDone }: { base: string; onDone: () => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(undefined);
    postForm(`${base}/directives/upload`, new FormData(form))
      .then(() => {
        form.reset();
        onDone();
      })
      .catch((caught: unknown) => setError(messageOf(caught)))
      .finally(() => setBusy(false));
  };
  return (
    <details>
      <summary>Déposer des directives déjà rédigées (PDF, image)</summary>
      <form onSubmit={submit} noValidate>
        <Alert message={error} />
        <div className="field">
          <label htmlFor={`${id}-file`}>Fichier</label>
          <input
            id={`${id}-file`}
            name="file"
            type="file"
            accept="application/pdf,image/jpeg,image/png"
            required
          />
        </div>
        <SubmitButton busy={busy}>Déposer</SubmitButton>
      </form>
    </details>
  );
}
