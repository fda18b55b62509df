/**
 * The MHD calls of a doctor's software (LGC) against Carnet's FHIR API, with `fhir-kit-client`: ITI-65 deposit,
 * ITI-67 search, ITI-68 retrieve, replacement (ITI-65 with `relatesTo`) and masking (PATCH of `securityLabel`).
 * It knows Carnet only by its FHIR base URL and a bearer token; it imports nothing from Carnet.
 */
import { createHash } from 'node:crypto';
import { Client, type FhirResource } from 'fhir-kit-client';
import {
  INS_NIR_OID,
  MASKED_FROM_PROFESSIONALS,
  patientByIns,
  provideBundle,
  type Author,
  type OutgoingDocument,
} from './pdsm.ts';

export interface LgcOptions {
  /** Carnet's FHIR base, e.g. `https://carnet.example.org/fhir`. */
  readonly fhirBase: string;
  /** The professional's access token (Pro Santé Connect, or `carnet dev-token` in development). */
  readonly token: string;
  readonly author: Author;
  /** The OID root the vendor registered for this software: uniqueIds and the sourceId hang under it. */
  readonly oidRoot: string;
}

/** What the LGC keeps of a document it found: enough to show it, retrieve it and act on it. */
export interface FoundDocument {
  readonly id: string;
  readonly uniqueId: string;
  readonly title: string | undefined;
  readonly status: string;
  readonly securityLabels: readonly string[];
  readonly binaryId: string;
  readonly sha1: string | undefined;
}

interface Resource {
  resourceType: string;
  [key: string]: unknown;
}
interface DocumentReference extends Resource {
  id: string;
  masterIdentifier?: { value?: string };
  description?: string;
  status: string;
  securityLabel?: { coding?: { code?: string }[] }[];
  content: { attachment: { url?: string; hash?: string } }[];
}
interface Bundle extends Resource {
  total?: number;
  entry?: { resource?: Resource; response?: { location?: string } }[];
}

/** Carnet answers a refusal with an OperationOutcome whose text is meant for the user (French). */
export class CarnetRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(request: () => Promise<FhirResource>): Promise<T> {
  try {
    return (await request()) as unknown as T;
  } catch (error) {
    const response = (error as { response?: { status: number; data?: Resource } }).response;
    if (!response) throw error;
    const issue = (
      response.data?.issue as { details?: { text?: string; coding?: { code?: string }[] } }[]
    )?.[0];
    throw new CarnetRefusal(
      response.status,
      issue?.details?.coding?.[0]?.code ?? '',
      issue?.details?.text ?? `Carnet a répondu ${response.status}.`,
    );
  }
}

function found(doc: DocumentReference): FoundDocument {
  const attachment = doc.content[0]!.attachment;
  return {
    id: doc.id,
    uniqueId: doc.masterIdentifier?.value ?? '',
    title: doc.description,
    status: doc.status,
    securityLabels: (doc.securityLabel ?? []).flatMap((l) => l.coding?.map((c) => c.code ?? '') ?? []),
    // ITI-68 reads the attachment's URL; its last segment is the Binary id.
    binaryId: (attachment.url ?? '').split('/').pop() ?? '',
    sha1: attachment.hash,
  };
}

export function connectLgc(options: LgcOptions) {
  const client = new Client({ baseUrl: options.fhirBase });
  // Every call carries `Authorization: Bearer <token>`; Carnet answers 401 with WWW-Authenticate when it expired.
  client.bearerToken = options.token;
  const subjectOf = (ins: string) => patientByIns(ins);

  return {
    /** `GET Patient?identifier=<INS>`: whether the patient has an open DMP, before sending anything. */
    async hasOpenRecord(ins: string): Promise<boolean> {
      const bundle = await call<Bundle>(() =>
        client.search({
          resourceType: 'Patient',
          searchParams: { identifier: `urn:oid:${INS_NIR_OID}|${ins}` },
        }),
      );
      const patient = bundle.entry?.[0]?.resource as { active?: boolean } | undefined;
      return patient?.active === true;
    },

    /** ITI-65: one submission set, all or nothing. Returns the server ids of the DocumentReferences. */
    async deposit(ins: string, docs: readonly OutgoingDocument[]): Promise<string[]> {
      const body = provideBundle(docs, subjectOf(ins), options.author, options.oidRoot);
      const response = await call<Bundle>(() =>
        client.transaction({ body: body as unknown as FhirResource }),
      );
      return (response.entry ?? [])
        .map((e) => e.response?.location ?? '')
        .filter((location) => location.startsWith('DocumentReference/'))
        .map((location) => location.split('/')[1]!);
    },

    /** ITI-67: the patient's current documents, optionally of one type (LOINC code of JDV J07). */
    async search(ins: string, filters: { type?: string; status?: string } = {}): Promise<FoundDocument[]> {
      const bundle = await call<Bundle>(() =>
        client.search({
          resourceType: 'DocumentReference',
          searchParams: {
            'patient.identifier': `urn:oid:${INS_NIR_OID}|${ins}`,
            status: filters.status ?? 'current',
            ...(filters.type ? { type: `http://loinc.org|${filters.type}` } : {}),
          },
        }),
      );
      // A searchset may also carry an OperationOutcome (e.g. how many documents the habilitation matrix hides).
      return (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is DocumentReference => r?.resourceType === 'DocumentReference')
        .map(found);
    },

    /**
     * ITI-68: the document's exact bytes, checked against the SHA-1 the metadata announces. Read as a FHIR Binary
     * through our own base URL (a reverse proxy may give the server another name than the one in the URL).
     */
    async retrieve(doc: FoundDocument): Promise<Buffer> {
      const binary = await call<{ data?: string }>(() =>
        client.read({ resourceType: 'Binary', id: doc.binaryId }),
      );
      const bytes = Buffer.from(binary.data ?? '', 'base64');
      if (doc.sha1 && createHash('sha1').update(bytes).digest('base64') !== doc.sha1) {
        throw new Error('Le document reçu ne correspond pas à son empreinte : il a été altéré.');
      }
      return bytes;
    },

    /** A new version: an ITI-65 whose DocumentReference `replaces` the old one, which becomes superseded. */
    async replace(ins: string, old: FoundDocument, doc: OutgoingDocument): Promise<string> {
      const [id] = await this.deposit(ins, [{ ...doc, replaces: old.id }]);
      return id!;
    },

    /**
     * Masks a document from other professionals (PDSm): a conditional PATCH by the document's uniqueId, which the
     * software knows since it generated it, adding the TRE_A07 `MASQUE_PS` label (JSON Patch, RFC 6902).
     */
    async mask(doc: Pick<FoundDocument, 'uniqueId'>): Promise<FoundDocument> {
      const patch = [{ op: 'add', path: '/securityLabel/-', value: { coding: [MASKED_FROM_PROFESSIONALS] } }];
      const identifier = encodeURIComponent(`urn:ietf:rfc:3986|${doc.uniqueId}`);
      const updated = await call<DocumentReference>(() =>
        client.request(`DocumentReference?identifier=${identifier}`, {
          method: 'PATCH',
          body: JSON.stringify(patch),
          options: { headers: { 'content-type': 'application/json-patch+json' } },
        }),
      );
      return found(updated);
    },
  };
}

export type Lgc = ReturnType<typeof connectLgc>;
