import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import { CarnetError } from '../shared/index.ts';

/**
 * A route's contract, declared once next to the route: what it accepts (path parameters, query, JSON body) and what
 * it answers. The zod schemas validate requests (a refusal is the API's usual `{ error }` JSON, HTTP 400), check
 * responses when the app is built with `checkResponses` (every test), and give the web apps their types
 * (`z.infer`), so that a shape is written in one place.
 */

/** An answer that is not JSON (a PDF, an HTML page, an iCalendar feed): its media types, for the reader. */
export interface RawResponse {
  readonly raw: readonly string[];
}
/** A 3xx answer with a `Location`. */
export interface RedirectResponse {
  readonly redirect: true;
}

export type ResponseContract = z.ZodType | RawResponse | RedirectResponse;

export interface ContractShape {
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /** The JSON body; a multipart route reads its parts itself and says so with `multipart: true`. */
  readonly body?: z.ZodType;
  readonly multipart?: true;
  readonly response: ResponseContract;
  /** The success status of a JSON answer (200 unless said). */
  readonly status?: number;
}

const declared = Symbol('carnet.contract');

/** Fastify's schema option, carrying the contract it was made from. */
export type ContractSchema<C extends ContractShape = ContractShape> = FastifySchema & {
  readonly [declared]: C;
};

export const raw = (...types: string[]): RawResponse => ({ raw: types });
export const redirect: RedirectResponse = { redirect: true };
/** Marks a route whose body is multipart form data, read part by part by the route itself. */
export const multipart = true;
/** A 204 answer. */
export const noContent = { raw: [] } satisfies RawResponse;

const isZod = (value: unknown): value is z.ZodType => value instanceof z.ZodType;

/** The `schema` option of a route declaring `shape` as its contract. */
export function contract<const C extends ContractShape>(shape: C): ContractSchema<C> {
  const schema: FastifySchema = {
    ...(shape.params ? { params: shape.params } : {}),
    ...(shape.query ? { querystring: shape.query } : {}),
    ...(shape.body ? { body: shape.body } : {}),
    ...(isZod(shape.response) ? { response: { [shape.status ?? 200]: shape.response } } : {}),
  };
  return Object.assign(schema, { [declared]: shape });
}

/** The contract a route's schema option carries, if it was declared with `contract()`. */
export function contractOf(schema: unknown): ContractShape | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  return (schema as { [declared]?: ContractShape })[declared];
}

/** What a JSON route answers and accepts, for the web apps. */
export type ResponseOf<S> =
  S extends ContractSchema<infer C>
    ? C['response'] extends z.ZodType
      ? z.infer<C['response']>
      : never
    : never;
export type BodyOf<S> =
  S extends ContractSchema<infer C> ? (C['body'] extends z.ZodType ? z.input<C['body']> : never) : never;

const partNames: Record<string, string> = { querystring: 'query', params: 'params', body: 'body' };

/**
 * Request parts are checked with their zod schema. A refusal names the field at fault; its message is the schema's
 * own (French) when it gives one, else a general one.
 */
function validationError(issues: readonly z.core.$ZodIssue[], part: string): CarnetError {
  const first = issues[0];
  const field = first && first.path.length > 0 ? first.path.join('.') : (partNames[part] ?? part);
  return new CarnetError(
    'invalid',
    'validation',
    first?.message ?? 'La requête est incomplète ou mal formée.',
    field,
  );
}

const generalMessage = () => 'La requête est incomplète ou mal formée.';

/** Every route schema is zod: JSON schemas are not compiled (a route that still has one fails at start). */
export function registerContracts(app: FastifyInstance, options: { checkResponses: boolean }): void {
  app.setValidatorCompiler(({ schema, httpPart, url }) => {
    if (!isZod(schema)) throw new Error(`${url}: the ${String(httpPart)} schema is not a zod schema`);
    return (data: unknown) => {
      const result = schema.safeParse(data ?? undefined, { error: generalMessage });
      return result.success
        ? { value: result.data }
        : { error: validationError(result.error.issues, String(httpPart)) };
    };
  });
  app.setSerializerCompiler(({ schema, url, method }) => {
    if (!isZod(schema)) throw new Error(`${method} ${url}: the response schema is not a zod schema`);
    if (!options.checkResponses) return (data) => JSON.stringify(data);
    return (data) => {
      // Checked on what goes out as JSON (dates become strings), and sent unchanged: tests and production send
      // the same bytes.
      const json = JSON.stringify(data);
      const result = schema.safeParse(JSON.parse(json));
      if (!result.success)
        throw new Error(`${method} ${url} answered outside its contract: ${z.prettifyError(result.error)}`);
      return json;
    };
  });
}
