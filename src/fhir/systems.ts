/**
 * Canonical URLs of the profiles, code systems and extensions Carnet's FHIR resources use
 * (FR Core IG, ANS NOS terminologies, HL7 core extensions).
 */
export const FHIR_VERSION = '4.0.1';

export const FR_CORE_PATIENT_PROFILE = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient';
/** A patient carrying the INS, with a validated identity (FR Core 2.x `fr-core-patient-ins`). */
export const FR_CORE_PATIENT_INS_PROFILE =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins';
/** FR Core's reliability of a patient's identity (RNIV): the `identityStatus` sub-extension says VALI. */
export const FR_CORE_IDENTITY_RELIABILITY_EXTENSION =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability';
/** FR Core's identity statuses (HL7 v2 table 0445 as extended for France). */
export const FR_CORE_IDENTITY_STATUS_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445';
/** Every first name of the birth certificate, when `given` holds the first one only (fr-core-patient-ins). */
export const FR_CORE_BIRTH_LIST_GIVEN_NAME_EXTENSION =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name';
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
/** Kinds of know-how of the RPPS (S: spécialité ordinale), FR Core practitioner's `typeSavoirFaire`. */
export const KNOW_HOW_TYPE_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_R04-TypeSavoirFaire/FHIR/TRE-R04-TypeSavoirFaire';
/** FR Core's e-mail type of a ContactPoint, from the ANS messaging types (MSSANTE). */
export const FR_CORE_EMAIL_TYPE_EXTENSION =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type';
export const MESSAGING_TYPE_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie';
export const SPECIALTY_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale';

/** The ANS PDSm guide (partage de documents de santé en mobilité) and the document sharing manager it defines. */
export const PDSM_IMPLEMENTATION_GUIDE =
  'https://interop.esante.gouv.fr/ig/fhir/pdsm/ImplementationGuide/ans.fhir.fr.pdsm';
export const PDSM_DOCUMENT_SHARING_CAPABILITY =
  'https://interop.esante.gouv.fr/ig/fhir/pdsm/CapabilityStatement/PDSm-GestionnaireDePartageDeDocuments';

/** Carnet's own extension telling why `Patient.active` is what it is (created, activated, opposed, closed). */
export const PROFILE_STATE_EXTENSION = 'https://carnet.example.org/fhir/StructureDefinition/profile-state';
