import { insOids, PROFESSIONAL_ID_OID } from '../../identity/index.ts';
import { hl7TimeToIso } from './dates.ts';
import type { CdaAuthor, CdaCode, CdaHeader, CdaPatient } from './types.ts';
import { all, attr, first, optionalText, textOf, type XmlNode } from './xml.ts';

export function codeOf(node: XmlNode | undefined): CdaCode | undefined {
  const code = attr(node, 'code');
  if (!code) return undefined;
  return { code, system: attr(node, 'codeSystem'), display: attr(node, 'displayName') };
}

/** "Given Family" from a CDA `name`; prefers the used name (qualifier CL) over the birth name. */
function personName(name: XmlNode | undefined): string | undefined {
  if (!name) return undefined;
  const given = optionalText(first(name, 'given'));
  const family = optionalText(first(name, 'family'));
  const joined = [given, family].filter(Boolean).join(' ');
  return joined || optionalText(name);
}

function pick(parts: XmlNode[], qualifier: string): XmlNode | undefined {
  return parts.find((p) => attr(p, 'qualifier') === qualifier) ?? parts[0];
}

function patientOf(clinical: XmlNode): CdaPatient {
  const role = first(clinical, 'recordTarget', 'patientRole');
  const insId = all(role, 'id').find((id) => (insOids as readonly string[]).includes(attr(id, 'root') ?? ''));
  const patient = first(role, 'patient');
  const name = first(patient, 'name');
  return {
    ins: attr(insId, 'extension'),
    insOid: attr(insId, 'root'),
    family: optionalText(pick(all(name, 'family'), 'CL')),
    given: optionalText(pick(all(name, 'given'), 'CL')),
    birthDate: hl7TimeToIso(attr(first(patient, 'birthTime'), 'value')),
    sex: attr(first(patient, 'administrativeGenderCode'), 'code'),
  };
}

function authorOf(author: XmlNode): CdaAuthor {
  const assigned = first(author, 'assignedAuthor');
  const nationalId = all(assigned, 'id').find((id) => attr(id, 'root') === PROFESSIONAL_ID_OID);
  const device = first(assigned, 'assignedAuthoringDevice');
  return {
    nationalId: attr(nationalId, 'extension'),
    name:
      personName(first(assigned, 'assignedPerson', 'name')) ??
      optionalText(first(device, 'softwareName')) ??
      optionalText(first(device, 'manufacturerModelName')),
    profession: codeOf(first(assigned, 'code')),
    organizationName: optionalText(first(assigned, 'representedOrganization', 'name')),
  };
}

/** XDS uniqueId / FHIR masterIdentifier: `urn:oid:<root>` for a bare OID, `<root>^<extension>` otherwise. */
export function masterIdentifierOf(root: string, extension: string | undefined): string {
  return extension ? `${root}^${extension}` : `urn:oid:${root}`;
}

/** Reads the header of `ClinicalDocument`; `undefined` fields are simply absent from the document. */
export function headerOf(clinical: XmlNode): CdaHeader | undefined {
  const idNode = first(clinical, 'id');
  const root = attr(idNode, 'root');
  const type = codeOf(first(clinical, 'code'));
  if (!root || !type) return undefined;
  const extension = attr(idNode, 'extension');
  const setId = first(clinical, 'setId');
  const version = Number(attr(first(clinical, 'versionNumber'), 'value'));
  const serviceTime = first(clinical, 'documentationOf', 'serviceEvent', 'effectiveTime');
  return {
    masterIdentifier: masterIdentifierOf(root, extension),
    documentId: { root, extension },
    title: textOf(first(clinical, 'title')) || type.display || type.code,
    type,
    effectiveTime: hl7TimeToIso(attr(first(clinical, 'effectiveTime'), 'value')),
    confidentialityCode: attr(first(clinical, 'confidentialityCode'), 'code'),
    languageCode: attr(first(clinical, 'languageCode'), 'code'),
    setId: setId ? masterIdentifierOf(attr(setId, 'root') ?? '', attr(setId, 'extension')) : undefined,
    versionNumber: Number.isInteger(version) && version > 0 ? version : undefined,
    patient: patientOf(clinical),
    authors: all(clinical, 'author').map(authorOf),
    custodianName: optionalText(
      first(clinical, 'custodian', 'assignedCustodian', 'representedCustodianOrganization', 'name'),
    ),
    serviceStart: hl7TimeToIso(attr(first(serviceTime, 'low'), 'value') ?? attr(serviceTime, 'value')),
    serviceEnd: hl7TimeToIso(attr(first(serviceTime, 'high'), 'value')),
  };
}
