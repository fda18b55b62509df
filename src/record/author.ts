import type { Principal } from '../access/index.ts';
import { displayName, findInsuredById } from '../insured/index.ts';
import { professionalDisplayName } from '../professionals/index.ts';
import { forbidden } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import type { DocumentAuthor } from '../guard/index.ts';

export const INSURER_NAME = 'Assurance Maladie';

/** The author of a deposit is who deposits: never taken from the request body. */
export async function authorOf(db: Executor, principal: Principal): Promise<DocumentAuthor> {
  switch (principal.kind) {
    case 'professional':
      return {
        kind: 'professional',
        nationalId: principal.nationalId,
        patientId: undefined,
        name: professionalDisplayName(principal),
        givenName: principal.givenName,
        familyName: principal.familyName,
        professionCode: principal.professionCode,
        specialtyCode: principal.specialtyCode,
        structureNationalId: principal.structure?.nationalId,
        structureName: principal.structure?.name,
      };
    case 'patient': {
      const person = await findInsuredById(db, principal.patientId);
      return {
        kind: 'patient',
        nationalId: undefined,
        patientId: principal.patientId,
        name: person ? displayName(person) : 'Patient',
        givenName: undefined,
        familyName: undefined,
        professionCode: undefined,
        specialtyCode: undefined,
        structureNationalId: undefined,
        structureName: undefined,
      };
    }
    case 'insurer':
      return {
        kind: 'insurer',
        nationalId: undefined,
        patientId: undefined,
        name: INSURER_NAME,
        givenName: undefined,
        familyName: undefined,
        professionCode: undefined,
        specialtyCode: undefined,
        structureNationalId: undefined,
        structureName: undefined,
      };
    case 'auditor':
    case 'app':
      throw forbidden('role', 'Votre rôle ne permet pas cette action.');
  }
}
