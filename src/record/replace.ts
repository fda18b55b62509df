import type { Principal } from '../access/index.ts';
import type { Config } from '../config/index.ts';
import { CarnetError } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import {
  type RecordDocument,
  checkDocumentAction,
  openDocument,
  setDocumentStatus,
  Refusal,
} from '../guard/index.ts';

/**
 * XDS replacement (docs/fhir.md, "Document metadata"): the new version has its own unique id and `relatesTo
 * replaces` the old one, which becomes `superseded` (still readable, no longer current). Checked for every
 * replacement before anything is written, so that a refusal (which commits its trace) commits nothing else.
 */
export async function checkReplacement(
  config: Pick<Config, 'documentKey'>,
  db: Executor,
  principal: Principal,
  replacement: RecordDocument,
  now: Date,
): Promise<RecordDocument | Refusal> {
  const opened = await openDocument(config, db, principal, replacement.replacesId!, 'replace', now);
  if (opened instanceof Refusal) return opened;
  const old = opened.doc;
  if (old.patientId !== replacement.patientId) {
    throw new CarnetError(
      'unprocessable',
      'replaced-other-patient',
      'Le document remplacé appartient au dossier d’un autre patient.',
      'relatesTo',
    );
  }
  if (old.status !== 'current') {
    throw new CarnetError(
      'conflict',
      'replaced-not-current',
      'Seule la version en vigueur d’un document peut être remplacée.',
      'relatesTo',
    );
  }
  const refusal = await checkDocumentAction(db, principal, opened, 'replace', 'replace', now);
  return refusal ?? old;
}

export async function supersede(db: Executor, old: RecordDocument, now: Date): Promise<void> {
  await setDocumentStatus(db, old, 'superseded', now.toISOString());
}
