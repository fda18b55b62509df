import { useEffect, useState } from 'react';
import { api, messageOf } from '../../shared/api.ts';
import { Alert, Field, SubmitButton, useForm } from '../../shared/form.tsx';
import { compact, frenchDate, groupedIns, profileStateLabel, sexLabel } from '../../shared/format.ts';
import { Page } from '../../shared/page.tsx';
import { Link, navigate, useRoute } from '../../shared/router.ts';
import { recordHref } from './record/record-links.ts';
import { appName, type FoundPatient } from '../types.ts';
import type { ResponseOf } from '../../../src/http/contract.ts';
import type { proAuthContracts } from '../../../src/http/contracts/pro-auth.ts';

type Search =
  | { readonly status: 'idle' }
  | { readonly status: 'found'; readonly ins: string; readonly patient: FoundPatient }
  | { readonly status: 'failed'; readonly ins: string; readonly message: string };

const lookUp = (ins: string) =>
  api<ResponseOf<typeof proAuthContracts.findPatient>>(
    'GET',
    `/api/pro/patients?ins=${encodeURIComponent(ins)}`,
  );

/** Find a patient by INS; the INS sits in the address (`/pro/patient?ins=…`) so that the result can be reloaded. */
export function SearchPage() {
  const { query } = useRoute();
  const ins = query.get('ins') ?? '';
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  useEffect(() => {
    if (!ins) return setSearch({ status: 'idle' });
    let current = true;
    lookUp(ins)
      .then(({ patient }) => current && setSearch({ status: 'found', ins, patient }))
      .catch((error: unknown) => current && setSearch({ status: 'failed', ins, message: messageOf(error) }));
    return () => {
      current = false;
    };
  }, [ins]);
  const form = useForm(
    async (values) => {
      const wanted = compact(values.ins ?? '');
      // Checked here first so that a refusal stays next to the form.
      await lookUp(wanted);
      navigate(`/pro/patient?ins=${encodeURIComponent(wanted)}`);
    },
    () => 'ins',
  );
  const failure =
    form.error ?? (search.status === 'failed' && search.ins === ins ? search.message : undefined);
  return (
    <Page title="Rechercher un patient par INS" app={appName}>
      <form onSubmit={form.onSubmit} noValidate role="search">
        <Alert id={form.errorId} message={failure} />
        <Field
          name="ins"
          label="Matricule INS du patient"
          hint="15 caractères, clé comprise, tels qu’ils figurent sur la carte Vitale ou dans le logiciel (espaces acceptés)."
          defaultValue={ins}
          autoComplete="off"
          spellCheck={false}
          required
          errorId={failure ? form.errorId : undefined}
        />
        <SubmitButton busy={form.busy}>Rechercher</SubmitButton>
      </form>
      {search.status === 'found' && search.ins === ins && !form.error && (
        <PatientCard patient={search.patient} />
      )}
    </Page>
  );
}

function PatientCard({ patient }: { patient: FoundPatient }) {
  const used = patient.usedName?.trim();
  return (
    <section className="card patient-card" aria-labelledby="patient-title">
      <h2 id="patient-title">
        {patient.firstNames} {(used || patient.birthName).toUpperCase()}
      </h2>
      <dl className="facts">
        <dt>Nom de naissance</dt>
        <dd>{patient.birthName.toUpperCase()}</dd>
        {used && (
          <>
            <dt>Nom utilisé</dt>
            <dd>{used.toUpperCase()}</dd>
          </>
        )}
        <dt>Prénoms</dt>
        <dd>{patient.firstNames}</dd>
        <dt>Date de naissance</dt>
        <dd>{frenchDate(patient.birthDate)}</dd>
        <dt>Sexe</dt>
        <dd>{sexLabel(patient.sex)}</dd>
        <dt>Matricule INS</dt>
        <dd className="address">{groupedIns(patient.ins)}</dd>
        <dt>Mon espace santé</dt>
        <dd>
          <span className={patient.active ? 'badge' : 'badge badge-soon'}>
            {profileStateLabel(patient.profileState)}
          </span>
        </dd>
      </dl>
      {patient.active && (
        <p>
          <Link className="button" href={recordHref(patient.id, patient.ins)}>
            Ouvrir le dossier médical partagé
          </Link>
        </p>
      )}
    </section>
  );
}
