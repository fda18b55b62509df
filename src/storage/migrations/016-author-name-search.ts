import type { Kysely } from 'kysely';

/** src/record/search-text.ts's `searchableName` when this migration was written, frozen here. */
function searchableName(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

/**
 * ITI-67 `author.given` / `author.family` (docs/fhir.md, "Search semantics (ITI-67, ITI-66)"): FHIR string search
 * ignores case and accents, which neither SQLite nor PostgreSQL does the same way (SQLite's `lower` is ASCII only,
 * PostgreSQL's `unaccent` is an extension). The searchable form of each name (src/record/search-text.ts) is stored
 * beside it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['author_given_search', 'author_family_search']) {
    await db.schema.alterTable('documents').addColumn(column, 'text').execute();
  }
  const docs = db as unknown as Kysely<{
    documents: {
      id: string;
      author_given_name: string | null;
      author_family_name: string | null;
      author_given_search: string | null;
      author_family_search: string | null;
    };
  }>;
  const named = await docs
    .selectFrom('documents')
    .select(['id', 'author_given_name', 'author_family_name'])
    .where((eb) => eb.or([eb('author_given_name', 'is not', null), eb('author_family_name', 'is not', null)]))
    .execute();
  for (const row of named) {
    await docs
      .updateTable('documents')
      .set({
        author_given_search: row.author_given_name === null ? null : searchableName(row.author_given_name),
        author_family_search: row.author_family_name === null ? null : searchableName(row.author_family_name),
      })
      .where('id', '=', row.id)
      .execute();
  }
}
