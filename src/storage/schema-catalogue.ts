/** Tables of the catalogue of connected services (src/catalogue). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CatalogueTables {}
