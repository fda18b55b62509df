/**
 * The named purposes that work on patient tables without a principal's guarded handle, because no principal
 * is asking: each says why. A module not covered here queries patient tables only on an executor the guard
 * handed out, or one its caller hands in (the caller then answers for it under the same rule).
 */
export interface SystemPurpose {
  readonly name: string;
  readonly why: string;
  /** Paths under src/, a trailing `/` for a whole folder, a leading `*` for a file-name ending. */
  readonly files: readonly string[];
}

export const systemPurposes: readonly SystemPurpose[] = [
  {
    name: 'migrations',
    why: 'schema changes rewrite rows of every patient, before any request is served',
    files: ['storage/migrations/'],
  },
  {
    name: 'demo seeding',
    why: 'writes the demo people’s data on an empty development database (refused in production)',
    files: ['demo/', 'agenda/demo-agenda.ts'],
  },
  {
    name: 'reminder pass',
    why: 'the scheduled pass sends each due reminder once; it reads the agenda for no one and traces what it sends',
    files: ['agenda/reminders.ts'],
  },
  {
    name: 'insurer feed',
    why: 'the Assurance Maladie import writes through the profile policy as the insurer, batch by batch',
    files: ['insurer/feed/'],
  },
  {
    name: 'indicators',
    why: 'aggregate counts for the operator and a professional’s own deposits by month: no patient-level data leaves',
    files: ['indicators/indicators.ts', 'record/counts.ts'],
  },
  {
    name: 'content store',
    why: 'encrypted contents addressed by document: reached only through a document row the guard let through',
    files: ['record/content/store.ts'],
  },
  {
    name: 'test support',
    why: 'fixtures and stores that tests use to set up and inspect data; never imported by the application',
    files: ['*.fixtures.ts', 'smtp/test-store.ts'],
  },
];

export function purposeOf(file: string): SystemPurpose | undefined {
  return systemPurposes.find((purpose) =>
    purpose.files.some((pattern) =>
      pattern.startsWith('*')
        ? file.endsWith(pattern.slice(1))
        : pattern.endsWith('/')
          ? file.startsWith(pattern)
          : file === pattern,
    ),
  );
}
