import { Readable } from 'node:stream';
import type { Bundle, BundleEntry, DocumentReference, Resource } from '@medplum/fhirtypes';
import yazl from 'yazl';
import type { Principal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { toDocumentReference, toPatientResource, profileEntryToFhir } from '../fhir/index.ts';
import type { PatientId } from '../identity/index.ts';
import { careItemToExplanationOfBenefit, MAX_CARE_PAGE, readCareHistory } from '../insurer/index.ts';
import { readProfile } from '../medical-profile/index.ts';
import { retrieveDocumentContent, searchDocuments, type RecordDocument } from '../record/index.ts';
import { CarnetError, uuidv7 } from '../shared/index.ts';
import { openExport, traceExport } from '../guard/index.ts';
import { readmeText, type ExportedDocument } from './export-readme.ts';

const extensions: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'text/xml': 'xml',
  'text/plain': 'txt',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
};

/** Formats that are compressed already: deflating them again costs CPU for nothing. */
const storedAsIs: ReadonlySet<string> = new Set(['application/pdf', 'image/jpeg', 'image/png']);

export const documentPath = (doc: Pick<RecordDocument, 'id' | 'contentType'>) =>
  `documents/${doc.id}.${extensions[doc.contentType] ?? 'bin'}`;

/** Every document the principal sees, all versions but deleted ones, oldest first (searches are paged). */
async function visibleDocuments(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<RecordDocument[]> {
  const all: RecordDocument[] = [];
  const count = 500;
  for (let offset = 0; ; offset += count) {
    const page = await searchDocuments(ctx, principal, {
      patientId,
      statuses: ['current', 'superseded', 'archived'],
      count,
      offset,
    });
    all.push(...page.documents);
    if (page.documents.length < count || all.length >= page.total) break;
  }
  return all.reverse();
}

/**
 * "Mon histoire de santé" as ExplanationOfBenefit resources, page by page as the bundle is written; the first
 * page is read up front for the total (and to let the policy refuse before anything is sent).
 */
async function careHistoryOf(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<{ total: number; resources: () => AsyncGenerator<Resource> }> {
  const first = await readCareHistory(ctx, principal, patientId, { count: MAX_CARE_PAGE, offset: 0 });
  async function* resources(): AsyncGenerator<Resource> {
    let page = first;
    for (let offset = 0; page.items.length > 0;) {
      for (const item of page.items) yield careItemToExplanationOfBenefit(item, patientId);
      offset += page.items.length;
      if (offset >= first.total) break;
      page = await readCareHistory(ctx, principal, patientId, { count: MAX_CARE_PAGE, offset });
    }
  }
  return { total: first.total, resources };
}

export interface RecordExport {
  readonly fileName: string;
  readonly contentType: 'application/zip';
  /** The zip, produced as it is read: one document's bytes in memory at a time. */
  readonly stream: Readable;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The whole record as a zip: the original documents, `bundle.json` (a FHIR R4 collection Bundle: Patient, the
 * profile's resources, the reimbursed-care history, one DocumentReference per document pointing at its file)
 * and a French README.txt. The export is decided and traced before the first byte; each document is then
 * retrieved through the record service (its own policy check and trace) when the zip reaches it.
 */
export async function exportRecord(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<RecordExport> {
  const { person } = await openExport(ctx, principal, patientId, 'record-zip');
  const profile = await readProfile(ctx, principal, patientId);
  const care = await careHistoryOf(ctx, principal, patientId);
  const documents = await visibleDocuments(ctx, principal, patientId);
  const generatedAt = ctx.clock.now();
  await traceExport(ctx, principal, patientId, 'record-zip', {
    entries: profile.entries.length,
    documents: documents.length,
    careItems: care.total,
  });

  const zip = new yazl.ZipFile();
  const included: ExportedDocument[] = [];
  let skipped = 0;
  const mtime = generatedAt;

  for (const doc of documents) {
    const path = documentPath(doc);
    zip.addReadStreamLazy(
      path,
      { mtime: new Date(doc.depositedAt), compress: !storedAsIs.has(doc.contentType) },
      (done) => {
        retrieveDocumentContent(ctx, principal, doc.id).then(
          ({ content }) => {
            included.push({ doc, path });
            done(null, Readable.from([content]));
          },
          (error: unknown) => {
            // Deleted or hidden since the listing: left out of the bundle and counted in the README.
            if (error instanceof CarnetError && (error.status === 404 || error.status === 403)) {
              skipped += 1;
              done(null, Readable.from([]));
            } else done(error instanceof Error ? error : new Error(String(error)), Readable.from([]));
          },
        );
      },
    );
  }

  const fhirBase = `${ctx.config.baseUrl}/fhir`;
  const entryOf = (resource: Resource): BundleEntry => ({
    fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id}`,
    resource,
  });
  // Written once every document had its turn, so that it lists exactly the files the zip holds.
  async function* bundleJson(): AsyncGenerator<string> {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      id: uuidv7(),
      meta: { lastUpdated: generatedAt.toISOString() },
      type: 'collection',
      timestamp: generatedAt.toISOString(),
    };
    yield `${JSON.stringify(bundle).slice(0, -1)},"entry":[\n`;
    const resources = async function* (): AsyncGenerator<Resource> {
      yield toPatientResource(person);
      for (const entry of profile.entries) yield profileEntryToFhir(entry);
      yield* care.resources();
      for (const { doc, path } of included) {
        const reference: DocumentReference = toDocumentReference(doc, person, fhirBase);
        const [content] = reference.content;
        yield { ...reference, content: [{ ...content, attachment: { ...content!.attachment, url: path } }] };
      }
    };
    let first = true;
    for await (const resource of resources()) {
      yield `${first ? '' : ',\n'}${JSON.stringify(entryOf(resource))}`;
      first = false;
    }
    yield '\n]}\n';
  }
  zip.addReadStreamLazy('bundle.json', { mtime }, (done) => done(null, Readable.from(bundleJson())));
  zip.addReadStreamLazy('README.txt', { mtime }, (done) =>
    done(
      null,
      Readable.from([
        readmeText({
          person,
          generatedAt,
          profileEntries: profile.entries.length,
          careItems: care.total,
          documents: included,
          skipped,
        }),
      ]),
    ),
  );
  zip.end();
  // A failure half-way (a document's file unreadable) must abort the download, not end it as if complete.
  const stream = zip.outputStream as unknown as Readable;
  zip.on('error', (error: Error) => stream.destroy(error));
  return { fileName: `dossier-medical-${day(generatedAt)}.zip`, contentType: 'application/zip', stream };
}
