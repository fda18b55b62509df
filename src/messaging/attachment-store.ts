import type { Config } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import { createContentStore, type ContentStore } from '../record/content/index.ts';
import type { DocumentId } from '../record/index.ts';

/** Attachments use the record's encrypted format (AES-256-GCM, fsynced), under `$CARNET_DATA_DIR/messages`. */
export interface AttachmentStore {
  put(patientId: PatientId, attachmentId: string, bytes: Uint8Array): Promise<void>;
  get(patientId: PatientId, attachmentId: string, hash: string): Promise<Buffer>;
  discard(patientId: PatientId, attachmentId: string): Promise<void>;
}

export function attachmentStore(config: Config): AttachmentStore {
  const store: ContentStore = createContentStore(config, 'messages');
  const id = (attachmentId: string) => attachmentId as DocumentId;
  return {
    put: (patientId, attachmentId, bytes) => store.put(patientId, id(attachmentId), bytes),
    get: (patientId, attachmentId, hash) => store.get(patientId, id(attachmentId), hash),
    discard: (patientId, attachmentId) => store.discard(patientId, id(attachmentId)),
  };
}
