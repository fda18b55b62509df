// Addresses of a patient's pages and API, apart from the record page so that linking to it does not load it.
export const patientApi = (patientId: string, rest = '') =>
  `/api/pro/patients/${encodeURIComponent(patientId)}${rest}`;
export const recordHref = (patientId: string, ins: string) =>
  `/pro/dossier?patient=${encodeURIComponent(patientId)}&ins=${encodeURIComponent(ins)}`;

/** A page about one patient beside their record (profile, care history, VSM). */
export const recordSubHref = (page: string, patientId: string, ins: string) =>
  `${page}?patient=${encodeURIComponent(patientId)}&ins=${encodeURIComponent(ins)}`;
