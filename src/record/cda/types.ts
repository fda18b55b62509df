/** A coded value as found in a CDA header: `code` + `codeSystem` (an OID) + `displayName`. */
export interface CdaCode {
  readonly code: string;
  readonly system: string | undefined;
  readonly display: string | undefined;
}

export interface CdaPatient {
  /** INS (NIR or NIA) from `recordTarget/patientRole/id` whose root is an INS OID; undefined when absent. */
  readonly ins: string | undefined;
  readonly insOid: string | undefined;
  readonly family: string | undefined;
  readonly given: string | undefined;
  /** YYYY-MM-DD (or shorter when the CDA gives less). */
  readonly birthDate: string | undefined;
  /** `administrativeGenderCode/@code`: F, M or U. */
  readonly sex: string | undefined;
}

export interface CdaAuthor {
  /** `assignedAuthor/id/@extension` when the root is 1.2.250.1.71.4.2.1 (`8`+RPPS, `0`+ADELI…). */
  readonly nationalId: string | undefined;
  readonly name: string | undefined;
  /** `assignedAuthor/code` (profession / specialty, e.g. `G15_10/SM26`). */
  readonly profession: CdaCode | undefined;
  readonly organizationName: string | undefined;
}

export interface CdaHeader {
  /**
   * The document's unique id as an XDS uniqueId / FHIR masterIdentifier: `urn:oid:<root>` when `id` has no
   * extension, `<root>^<extension>` otherwise (IHE ITI TF-3 4.2.3.2.26: only a bare OID takes the urn:oid: prefix).
   */
  readonly masterIdentifier: string;
  readonly documentId: { readonly root: string; readonly extension: string | undefined };
  readonly title: string;
  readonly type: CdaCode;
  /** ISO 8601 (`2020-03-12T11:17:00+01:00`, or a date when the CDA gives only a date). */
  readonly effectiveTime: string | undefined;
  /** `confidentialityCode/@code` (N, R, V). */
  readonly confidentialityCode: string | undefined;
  readonly languageCode: string | undefined;
  readonly setId: string | undefined;
  readonly versionNumber: number | undefined;
  readonly patient: CdaPatient;
  readonly authors: readonly CdaAuthor[];
  readonly custodianName: string | undefined;
  /** `documentationOf/serviceEvent/effectiveTime` low/high, ISO. */
  readonly serviceStart: string | undefined;
  readonly serviceEnd: string | undefined;
}

/** The narrative of a section as a small safe tree: plain strings only, never markup. */
export type NarrativeBlock =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly string[] }
  | {
      readonly kind: 'table';
      readonly caption: string | undefined;
      readonly header: readonly (readonly string[])[];
      readonly rows: readonly (readonly string[])[];
    };

export interface CdaSection {
  readonly title: string | undefined;
  readonly code: CdaCode | undefined;
  /** The narrative as readable plain text: paragraphs, `• ` bullets, table rows with ` | ` between cells. */
  readonly text: string;
  readonly blocks: readonly NarrativeBlock[];
  /** Number of coded `entry` elements (their content is summarised by the narrative, by CDA rule). */
  readonly entries: number;
  /** Files embedded in the section's entries (`observationMedia`, e.g. the PDF copy of a biology report). */
  readonly media: readonly CdaMedia[];
  readonly sections: readonly CdaSection[];
}

export interface CdaMedia {
  /** The `ID` a narrative `renderMultiMedia/@referencedObject` points to. */
  readonly id: string | undefined;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

export interface NonXmlBody {
  readonly mediaType: string;
  readonly bytes: Buffer;
}

export interface CdaDocument {
  readonly header: CdaHeader;
  /** Top-level sections of a `structuredBody` (each may nest more); empty for a `nonXMLBody`. */
  readonly sections: readonly CdaSection[];
  readonly nonXmlBody: NonXmlBody | undefined;
}
