import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { Link } from '../../../shared/router.ts';
import { MeasurementChart } from '../../../patient/pages/profile/measurement-chart.tsx';
import { measurementPoints, type ProProfileAnswer } from '../../../patient/pages/profile/profile-types.ts';
import { entryCodeLabel } from '../../../patient/pages/profile/section-fields.ts';
import { appName } from '../../types.ts';
import { patientApi, recordHref } from '../record/record-links.ts';
import { PatientBanner, patientTitle, usePatientIdentity } from '../record/patient-banner.tsx';

const sectionOrder = [
  'allergies',
  'treatments',
  'conditions',
  'vaccinations',
  'measurements',
  'family-history',
  'hospitalisations',
  'disabilities',
  'lifestyle',
  'blood-group',
  'contacts',
  'wishes',
];

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));

/** The patient's medical profile as this professional may read it (read only); refused parts say why. */
export function ProProfilePage({ patientId, ins: insInLink }: { patientId: string; ins: string }) {
  const { state } = useLoad<ProProfileAnswer>(patientApi(patientId, '/profile'));
  const patient = usePatientIdentity(patientId);
  // The INS of the link, until the record's own identity is read (a link may carry none).
  const ins = patient?.ins ?? insInLink;
  return (
    <Page title={patientTitle('Profil médical', patient, 'Profil médical du patient')} app={appName}>
      <PatientBanner patient={patient} />
      <p>
        <Link href={recordHref(patientId, ins)}>← Dossier du patient</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && (
        <>
          <Alert message={state.message} />
          {state.error?.code === 'consent-required' && (
            <p>
              Déclarez le consentement du patient depuis{' '}
              <Link href={recordHref(patientId, ins)}>son dossier</Link>.
            </p>
          )}
        </>
      )}
      {state.status === 'loaded' && <ProfileBody answer={state.data} patientId={patientId} ins={ins} />}
    </Page>
  );
}

function ProfileBody({
  answer,
  patientId,
  ins,
}: {
  answer: ProProfileAnswer;
  patientId: string;
  ins: string;
}) {
  const refused = new Map(answer.refused.map((r) => [r.section, r]));
  const documentHref = (id: string) =>
    `/pro/dossier/document?patient=${encodeURIComponent(patientId)}&ins=${encodeURIComponent(ins)}&id=${encodeURIComponent(id)}`;
  return (
    <>
      <p className="hint">Informations renseignées par le patient ou transmises par l’Assurance Maladie.</p>
      {sectionOrder.map((section) => {
        const label = answer.areaLabels[section] ?? section;
        const entries = answer.entries.filter((e) => e.section === section);
        const refusal = refused.get(section);
        return (
          <section key={section} className="card" aria-labelledby={`pro-profile-${section}`}>
            <h2 id={`pro-profile-${section}`}>{label}</h2>
            {refusal ? (
              <p className="notice">{refusal.message}</p>
            ) : entries.length === 0 ? (
              <p className="hint">Rien de renseigné.</p>
            ) : (
              <>
                {section === 'measurements' &&
                  answer.measurementKinds.map((kind) => {
                    const points = measurementPoints(entries, kind.kind);
                    return points.length > 1 ? (
                      <MeasurementChart key={kind.kind} kind={kind} points={points} />
                    ) : null;
                  })}
                <ul>
                  {entries.map((e) => (
                    <li key={e.id}>
                      {e.summary}
                      {entryCodeLabel(e.data) && (
                        <span className="hint entry-code"> ({entryCodeLabel(e.data)})</span>
                      )}
                      {e.source !== 'patient' && <span className="hint"> — {e.sourceName}</span>}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {section === 'wishes' && answer.directives.length > 0 && (
              <p>
                Directives anticipées :{' '}
                {answer.directives.map((d) => (
                  <Link key={d.id} href={documentHref(d.id)}>
                    {d.title} du {longDate(d.depositedAt)}
                  </Link>
                ))}
              </p>
            )}
          </section>
        );
      })}
    </>
  );
}
