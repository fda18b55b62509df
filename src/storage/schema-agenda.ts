/** Tables of the medical agenda (src/agenda). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AgendaTables {}
