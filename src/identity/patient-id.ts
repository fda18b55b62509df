import type { Brand } from '../shared/index.ts';

/** Carnet's internal patient key (UUIDv7). The INS is an identifier of the patient, not the key: it can be corrected. */
export type PatientId = Brand<string, 'PatientId'>;
