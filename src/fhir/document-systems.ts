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
export const CONTENT_SHA256_EXTENSION = 'https://carnet.example.org/fhir/StructureDefinition/content-sha256';
export const DOCUMENT_STATUS_EXTENSION =
  'https://carnet.example.org/fhir/StructureDefinition/document-status';
