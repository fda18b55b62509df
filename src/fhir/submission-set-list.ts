import type { Extension, List } from '@medplum/fhirtypes';
import type { InsuredPerson } from '../insured/index.ts';
import { insSystem } from '../identity/index.ts';
import type { VisibleSubmissionSet } from '../record/index.ts';
import { authorParts } from './document-reference.ts';
import {
  IHE_DESIGNATION_TYPE_EXTENSION,
  IHE_SOURCE_ID_EXTENSION,
  MHD_LIST_TYPES_SYSTEM,
  PDSM_IS_ARCHIVED_EXTENSION,
  PDSM_SUBMISSION_SET_PROFILE,
  URI_SYSTEM,
} from './document-systems.ts';

/**
 * A submission set as a PDSm SubmissionSet `List` (IHE MHD Comprehensive): its entries are the documents of it the
 * reader may see, each as `DocumentReference/<id>`.
 */
export function toSubmissionSetList(visible: VisibleSubmissionSet, person: InsuredPerson): List {
  const { set, documentIds } = visible;
  const authored = authorParts(set.author, undefined);
  const extension: Extension[] = [
    ...(set.sourceId ? [{ url: IHE_SOURCE_ID_EXTENSION, valueIdentifier: { value: set.sourceId } }] : []),
    ...(set.contentType
      ? [
          {
            url: IHE_DESIGNATION_TYPE_EXTENSION,
            valueCodeableConcept: {
              coding: [
                {
                  system: set.contentType.system,
                  code: set.contentType.code,
                  ...(set.contentType.display ? { display: set.contentType.display } : {}),
                },
              ],
            },
          },
        ]
      : []),
    { url: PDSM_IS_ARCHIVED_EXTENSION, valueBoolean: false },
  ];
  return {
    resourceType: 'List',
    id: set.id,
    meta: { lastUpdated: set.submittedAt, profile: [PDSM_SUBMISSION_SET_PROFILE] },
    ...(authored.contained.length ? { contained: authored.contained } : {}),
    extension,
    identifier: [
      { use: 'usual', system: URI_SYSTEM, value: set.masterIdentifier },
      { use: 'official', system: URI_SYSTEM, value: `urn:uuid:${set.id}` },
    ],
    status: set.status,
    mode: 'working',
    ...(set.title ? { title: set.title } : {}),
    code: { coding: [{ system: MHD_LIST_TYPES_SYSTEM, code: 'submissionset', display: 'Submission Set' }] },
    subject: {
      reference: `Patient/${set.patientId}`,
      identifier: { system: insSystem(person.insOid), value: person.ins },
    },
    date: set.submittedAt,
    ...(authored.author[0] ? { source: authored.author[0] as List['source'] } : {}),
    ...(set.comments ? { note: [{ text: set.comments }] } : {}),
    entry: documentIds.map((id) => ({ item: { reference: `DocumentReference/${id}` } })),
  };
}
