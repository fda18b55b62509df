/** The shapes of the shared record's JSON API (src/http/routes/record-views.ts), as both apps read them. */
export interface RecordDocumentView {
  readonly id: string;
  readonly title: string;
  readonly typeCode: string;
  readonly typeDisplay: string;
  readonly classCode: string;
  readonly classLabel: string;
  readonly author: {
    readonly kind: string;
    readonly name: string;
    readonly nationalId: string | null;
    readonly profession: string | null;
    readonly structure: string | null;
  };
  readonly createdAt: string;
  readonly depositedAt: string;
  readonly serviceStart: string | null;
  readonly serviceEnd: string | null;
  readonly status: string;
  readonly masked: boolean;
  readonly invisiblePatient: boolean;
  readonly invisibleRepresentatives: boolean;
  readonly uploadedByPatient: boolean;
  readonly contentType: string;
  readonly size: number;
  readonly contentUrl: string;
  readonly viewUrl: string | null;
  /** Patient space only: not opened yet by the signed-in person (« Nouveau »). */
  readonly isNew?: boolean;
  /** Portal only: this professional deposited it (may replace it). */
  readonly ownDeposit?: boolean;
}

export interface DocumentGroup {
  readonly classCode: string;
  readonly label: string;
  readonly documents: readonly RecordDocumentView[];
}

export interface DocumentList {
  readonly total: number;
  readonly groups: readonly DocumentGroup[];
}

export interface TypeOption {
  readonly code: string;
  readonly display: string;
}

export type NarrativeBlock =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly string[] }
  | {
      readonly kind: 'table';
      readonly caption: string | undefined;
      readonly header: readonly (readonly string[])[];
      readonly rows: readonly (readonly string[])[];
    };

export interface CdaFactView {
  readonly term: string;
  readonly text: string | null;
  /** ISO, as partial as the document gives it (2019, 2019-08, 2019-08-11, or a date-time). */
  readonly date: string | null;
  /** An abnormal result's interpretation. */
  readonly alert?: true;
}

/** A coded entry of a CDA section: what it is, its codes ("CIM-10 I21.1"), its facts, the entries it holds. */
export interface CdaEntryView {
  readonly label: string;
  readonly relation: string | null;
  readonly negated: boolean;
  readonly codes: readonly string[];
  readonly facts: readonly CdaFactView[];
  readonly entries: readonly CdaEntryView[];
}

export interface CdaSectionView {
  readonly title: string | null;
  readonly blocks: readonly NarrativeBlock[];
  readonly entries: readonly CdaEntryView[];
  readonly sections: readonly CdaSectionView[];
}

export interface CdaView {
  readonly title: string;
  readonly type: { readonly code: string; readonly display: string | undefined };
  readonly effectiveTime: string | null;
  /** The patient the document names (recordTarget): INS, names, birth date (YYYY-MM-DD or shorter). */
  readonly patient?: {
    readonly ins?: string;
    readonly family?: string;
    readonly given?: string;
    readonly birthDate?: string;
    /** F, M or U. */
    readonly sex?: string;
  };
  readonly authors: readonly {
    name: string | null;
    profession: string | null;
    organization: string | null;
  }[];
  readonly custodian: string | null;
  readonly sections: readonly CdaSectionView[];
  readonly embedded: { readonly mediaType: string; readonly url: string } | null;
}
