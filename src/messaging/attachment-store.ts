import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import { createContentStore, type ContentStore, type DocumentId } from '../record/index.ts';

/** Attachments use the record's encrypted format and store (`messages`: PostgreSQL, or files under the data folder). */
export interface AttachmentStore {
  put(patientId: PatientId, attachmentId: string, bytes: Uint8Array): Promise<void>;
  get(patientId: PatientId, attachmentId: string, hash: string): Promise<Buffer>;
  discard(patientId: PatientId, attachmentId: string): Promise<void>;
}

export function attachmentStore(ctx: Pick<AppContext, 'config' | 'db' | 'dialect'>): AttachmentStore {
  const store: ContentStore = createContentStore(ctx, 'messages');
  const id = (attachmentId: string) => attachmentId as DocumentId;
  return {
    put: (patientId, attachmentId, bytes) => store.put(patientId, id(attachmentId), bytes),
    get: (patientId, attachmentId, hash) => store.get(patientId, id(attachmentId), hash),
    discard: (patientId, attachmentId) => store.discard(patientId, id(attachmentId)),
  };
}
