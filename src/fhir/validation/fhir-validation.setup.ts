import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import type { Resource } from '@medplum/fhirtypes';
import { afterAll, afterEach } from 'vitest';
import { toFhirXml } from '../fhir-format.ts';
import { describeIssue, indexDefinitions, validateAnswer } from './r4-validator.ts';

/**
 * Vitest setup (vitest.config.ts `setupFiles`): every FHIR resource any test receives from Carnet's FHIR API is
 * checked by the R4 validator, whichever way the test calls it (`app.inject`, fhir-kit-client over HTTP, a browser).
 * Fastify announces each instance it creates on the `fastify.initialization` diagnostics channel; the hook added
 * there runs before the FHIR plugin's own, on the JSON answer. An invalid resource fails the test that was running.
 * The first answers of each route also go through the FHIR XML round trip (FHIR.js is slow on large resources).
 * Validation runs just after the answer is sent, so that it never adds to a response time a test measures.
 */
interface Answer {
  readonly payload: string;
  /** `GET /fhir/Patient/<id> → 200`, for the report. */
  readonly where: string;
  /** `GET /fhir/Patient/:id 200`, to count round trips per route. */
  readonly route: string;
}

interface Harness {
  readonly failures: string[];
  /** Answers sent, validated off the response path (a test may time a FHIR answer). */
  readonly pending: Answer[];
  /** How many answers of each route went through the XML round trip: the first few of each suffice. */
  readonly roundTrips: Map<string, number>;
}

const ROUND_TRIPS_PER_ROUTE = 3;

function validate(harness: Harness, { payload, where, route }: Answer): void {
  let resource: Resource | undefined;
  try {
    const parsed = JSON.parse(payload) as { resourceType?: unknown };
    if (typeof parsed.resourceType === 'string') resource = parsed as Resource;
  } catch {
    // Not JSON after all (the bytes of a document): nothing to validate.
  }
  if (!resource) return;
  const trips = harness.roundTrips.get(route) ?? 0;
  harness.roundTrips.set(route, trips + 1);
  try {
    const { errors } = validateAnswer(resource, { roundTrip: trips < ROUND_TRIPS_PER_ROUTE });
    for (const issue of errors) harness.failures.push(`${where}: ${describeIssue(issue)}`);
  } catch (error) {
    harness.failures.push(`${where}: the validator failed: ${(error as Error).message}`);
  }
}

function drain(harness: Harness): void {
  for (let answer = harness.pending.shift(); answer; answer = harness.pending.shift())
    validate(harness, answer);
}

const key = Symbol.for('carnet.fhir-validation');
const global = globalThis as { [key]?: Harness };

// Once per worker process: the channel is process-wide, while this file runs again for each test file.
if (!global[key]) {
  const harness: Harness = { failures: [], pending: [], roundTrips: new Map() };
  global[key] = harness;
  diagnostics.subscribe('fastify.initialization', (message) => {
    const { fastify } = message as { fastify: FastifyInstance };
    // Paid when a test builds an app (before anything is timed), not inside the first FHIR answer, and not by the
    // test files that never start one.
    indexDefinitions();
    toFhirXml({ resourceType: 'Patient' });
    fastify.addHook('onSend', async (request, reply, payload) => {
      const path = request.url.split('?')[0] ?? '';
      const type = String(reply.getHeader('content-type') ?? 'application/json');
      if (/^\/fhir(\/|$)/.test(path) && type.includes('json') && typeof payload === 'string' && payload) {
        harness.pending.push({
          payload,
          where: `${request.method} ${path} → ${reply.statusCode}`,
          route: `${request.method} ${request.routeOptions.url ?? path} ${reply.statusCode}`,
        });
        setImmediate(() => drain(harness));
      }
      return payload;
    });
  });
}

const harness = global[key];

function failOnInvalid(): void {
  drain(harness);
  const failures = harness.failures.splice(0);
  if (failures.length > 0) {
    throw new Error(
      `Carnet's FHIR API sent ${failures.length} invalid resource(s) (R4 validator, @medplum/core):\n` +
        failures.slice(0, 20).join('\n'),
    );
  }
}

afterEach(failOnInvalid);
// Answers sent by a file's afterAll hooks are checked too.
afterAll(failOnInvalid);
