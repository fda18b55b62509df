export { displayName, firstFirstName, ageOn, isMinorOn, mssanteAddress } from './insured-person.ts';
export type { InsuredPerson } from './insured-person.ts';
export { findInsuredById, findInsuredByIns, listInsured, insuredRow } from './repository.ts';
export { representativeEmails, representedMinors, stillActsFor } from './representatives.ts';
