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
  /** The coded `entry` elements, each a small tree (see entries.ts); the narrative summarises them, by CDA rule. */
  readonly entries: readonly CdaEntry[];
  /** Files embedded in the section's entries (`observationMedia`, e.g. the PDF copy of a biology report). */
  readonly media: readonly CdaMedia[];
  readonly sections: readonly CdaSection[];
}

/** A coded value of an entry: a code of a system, or a nullFlavor saying why there is none. */
export interface CdaCoding {
  readonly code: string | undefined;
  /** The code system's OID. */
  readonly system: string | undefined;
  /** The name readers know the system by (`CIM-10`, `CCAM`, `CIS`…), else the document's, else the OID. */
  readonly systemName: string | undefined;
  readonly display: string | undefined;
  /** `NA`, `UNK`, `OTH`… when the document says the value is not coded. */
  readonly nullFlavor: string | undefined;
}

export interface CdaQuantity {
  readonly value: string;
  readonly unit: string | undefined;
}

/** A value as typed by `xsi:type` (PQ/INT/REAL, IVL_PQ, CD/CE/CV, ST/ED, BL, TS/IVL_TS). */
export type CdaValue =
  | { readonly kind: 'quantity'; readonly quantity: CdaQuantity }
  | { readonly kind: 'range'; readonly low: CdaQuantity | undefined; readonly high: CdaQuantity | undefined }
  | { readonly kind: 'coded'; readonly coding: CdaCoding }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'time'; readonly period: CdaPeriod };

/** An `effectiveTime`: one instant (`at`) or an interval (`low`/`high`), ISO and as partial as the document. */
export interface CdaPeriod {
  readonly at: string | undefined;
  readonly low: string | undefined;
  readonly high: string | undefined;
}

/** The CDA clinical statement classes an entry may hold (observationMedia is a file: see CdaMedia). */
export type CdaEntryKind =
  'observation' | 'act' | 'procedure' | 'substanceAdministration' | 'supply' | 'encounter' | 'organizer';

/** What an entry administers, supplies or reacts to: a medication, vaccine, device or allergy agent. */
export interface CdaProduct {
  /** The main code first, then its translations (CIS, then CIP, ATC… as the document gives them). */
  readonly codings: readonly CdaCoding[];
  readonly name: string | undefined;
  readonly lot: string | undefined;
}

export interface CdaEntry {
  readonly kind: CdaEntryKind;
  /** How it relates to the entry holding it (`entryRelationship/@typeCode`: SUBJ, RSON, COMP, CAUS…). */
  readonly relation: string | undefined;
  /** `negationInd="true"`: the document states its absence. */
  readonly negated: boolean;
  readonly code: CdaCoding | undefined;
  /** What the narrative calls it (its `text` or code's `originalText` reference), else its text, else a display. */
  readonly label: string | undefined;
  /** `statusCode/@code` (active, completed, aborted…). */
  readonly status: string | undefined;
  /** The IHE status observation's value (LOINC 33999-4): the problem or allergy's clinical status. */
  readonly clinicalStatus: CdaCoding | undefined;
  readonly effective: CdaPeriod | undefined;
  readonly value: CdaValue | undefined;
  readonly interpretation: CdaCoding | undefined;
  readonly referenceRange: CdaValue | undefined;
  readonly product: CdaProduct | undefined;
  readonly route: CdaCoding | undefined;
  readonly dose: CdaValue | undefined;
  /** The rhythm of a medication (`PIVL_TS`/`EIVL_TS`) in French: « toutes les 8 h », « 1 fois par jour »… */
  readonly frequency: string | undefined;
  /** Family history: the relative (`subject/relatedSubject/code`, e.g. MTH mère). */
  readonly relative: CdaCoding | undefined;
  readonly entries: readonly CdaEntry[];
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
