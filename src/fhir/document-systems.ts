import { TRE_A03_SYSTEM } from '../terminology/index.ts';

/** Code systems of the DMP's document metadata in FHIR (ANS PDSm, IHE MHD). */
export const TRE_A07_SYSTEM =
  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const V3_CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
/** Class codes (TRE_A03, JDV_J06), in the spelling PDSm uses. */
export const CLASS_CODE_SYSTEM = TRE_A03_SYSTEM;
export const MHD_LIST_TYPES_SYSTEM = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
/** URIs as identifiers (`urn:uuid:`, `urn:oid:`), as XDS uniqueId and entryUUID are in MHD. */
export const URI_SYSTEM = 'urn:ietf:rfc:3986';
/** ANS PDSm (Partage de documents de santé en mobilité) canonicals. */
const PDSM_BASE = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition';
export const PDSM_DOCUMENT_REFERENCE_PROFILE = `${PDSM_BASE}/pdsm-comprehensive-document-reference`;
export const PDSM_SUBMISSION_SET_PROFILE = `${PDSM_BASE}/pdsm-submissionset-comprehensive`;
/** PDSm_IsArchived (boolean) on DocumentReference and List: archived entries stay `current`. */
export const PDSM_IS_ARCHIVED_EXTENSION = `${PDSM_BASE}/pdsm-ext-is-archived`;
/** IHE MHD SubmissionSet extensions. */
export const IHE_SOURCE_ID_EXTENSION = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId';
export const IHE_DESIGNATION_TYPE_EXTENSION =
  'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType';
