/**
 * Accepted content formats, recognised by their bytes, never by the declared type. Defined here because the
 * configuration lists which of them a patient may upload; the record module re-exports the type.
 */
export const contentFormats = [
  'application/pdf',
  'text/xml',
  'text/plain',
  'image/jpeg',
  'image/png',
  'image/tiff',
] as const;

export type ContentFormat = (typeof contentFormats)[number];
