/**
 * Canonical URLs of the profiles, code systems and extensions Carnet's FHIR resources use
 * (FR Core IG, ANS NOS terminologies, HL7 core extensions).
 */
export const FHIR_VERSION = '4.0.1';
export const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';

export const FR_CORE_PATIENT_PROFILE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient';
export const FR_CORE_PRACTITIONER_PROFILE =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner';

/** FR Core's extension of HL7 v2 table 0203 (identifier types: INS-NIR, IDNPS, RPPS…). */
export const FR_CORE_IDENTIFIER_TYPE_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';

export const BIRTH_PLACE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
export const ADDRESS_INSEE_CODE_EXTENSION =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code';
export const INSEE_COMMUNE_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM';

export const PROFESSION_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
export const SPECIALTY_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale';

/** Carnet's own extension telling why `Patient.active` is what it is (created, activated, opposed, closed). */
export const PROFILE_STATE_EXTENSION = 'https://carnet.example.org/fhir/StructureDefinition/profile-state';
