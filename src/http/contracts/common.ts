import { z } from 'zod';

/** Path parameters and query strings shared by many routes. */
export const patientParams = z.object({ patientId: z.string() });
export const patientDocParams = z.object({ patientId: z.string(), id: z.string() });
/** A list's page, checked by `listPage` (its own refusal names the parameter). */
export const pageQuery = z.object({ count: z.string().optional(), offset: z.string().optional() });
/** `?download=1` asks for an attachment instead of an inline answer. */
export const downloadQuery = z.object({ download: z.string().optional() });

/** An ISO instant or date, as JSON carries it. */
export const isoString = z.string();
export const emptyObject = z.object({});
