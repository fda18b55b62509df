/** Tables of the Assurance Maladie feed (src/insurer). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InsurerTables {}
