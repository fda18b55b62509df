import { useLoad } from '../../../shared/data.ts';
import { frenchDate, groupedIns, personName, sexLabel } from '../../../shared/format.ts';
import type { FoundPatient } from '../../types.ts';
import type { ResponseOf } from '../../../../src/http/contract.ts';
import type { proAuthContracts } from '../../../../src/http/contracts/pro-auth.ts';

/**
 * The patient a record page is about, read by the record's id (a page opened by its link knows no more), with the
 * same identity as the search by INS.
 */
export function usePatientIdentity(patientId: string): FoundPatient | undefined {
  const { state } = useLoad<ResponseOf<typeof proAuthContracts.patientIdentity>>(
    `/api/pro/patient-identity/${encodeURIComponent(patientId)}`,
  );
  return state.status === 'loaded' ? state.data.patient : undefined;
}

/** « Née le », « Né le », or « Né(e) le » when the sex is not known. */
export function bornOn(sex: string | undefined): string {
  const label = sexLabel(sex ?? '');
  return label === 'Féminin' ? 'Née le' : label === 'Masculin' ? 'Né le' : 'Né(e) le';
}

/** "Profil médical de Marie MOREL" once the patient is known, "Profil médical du patient" before. */
export function patientTitle(what: string, patient: FoundPatient | undefined, fallback: string): string {
  return patient ? `${what} de ${personName(patient)}` : fallback;
}

/**
 * On every page of a record: whose record it is (name, birth date, INS), so that no one files or reads a document
 * in the wrong patient's record.
 */
export function PatientBanner({ patient }: { patient: FoundPatient | undefined }) {
  if (!patient) return null;
  return (
    <section className="patient-banner" aria-label="Patient concerné">
      <p className="patient-banner-name">{personName(patient)}</p>
      <dl>
        <div>
          <dt>{bornOn(patient.sex)}</dt>
          <dd>{frenchDate(patient.birthDate)}</dd>
        </div>
        {patient.usedName && patient.usedName.trim().toUpperCase() !== patient.birthName.toUpperCase() && (
          <div>
            <dt>Nom de naissance</dt>
            <dd>{patient.birthName.toUpperCase()}</dd>
          </div>
        )}
        <div>
          <dt>INS</dt>
          <dd className="address">{groupedIns(patient.ins)}</dd>
        </div>
      </dl>
    </section>
  );
}
