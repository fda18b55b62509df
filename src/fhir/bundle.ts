import type { Bundle, Resource } from '@medplum/fhirtypes';

export interface SearchsetInput<T extends Resource> {
  /** The search URL as the server understood it (only the parameters it used). */
  readonly selfUrl: string;
  /** `<base>/fhir`, to build each entry's fullUrl. */
  readonly fhirBase: string;
  readonly matches: readonly T[];
}

/** A search result: every entry is a match (no `_include` yet), `total` counts them all (no paging yet). */
export function searchsetBundle<T extends Resource>(input: SearchsetInput<T>): Bundle<T> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: input.matches.length,
    link: [{ relation: 'self', url: input.selfUrl }],
    entry: input.matches.map((resource) => ({
      fullUrl: `${input.fhirBase}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}
