/**
 * One error vocabulary for the whole system. Domain code throws `CarnetError`; the edges translate it:
 * HTTP status + FHIR OperationOutcome under /fhir, JSON `{ error }` elsewhere, a French message in the UI.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'precondition-failed'
  | 'too-large'
  | 'not-acceptable'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'rate-limited'
  | 'internal';

const statusByKind: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  'precondition-failed': 412,
  'too-large': 413,
  'not-acceptable': 406,
  'unsupported-media-type': 415,
  unprocessable: 422,
  'rate-limited': 429,
  internal: 500,
};

/** FHIR IssueType for each kind (http://hl7.org/fhir/R4/valueset-issue-type.html). */
const fhirIssueCodeByKind: Readonly<Record<ErrorKind, string>> = {
  invalid: 'invalid',
  unauthenticated: 'login',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  conflict: 'conflict',
  gone: 'deleted',
  'precondition-failed': 'conflict',
  'too-large': 'too-long',
  'not-acceptable': 'not-supported',
  'unsupported-media-type': 'not-supported',
  unprocessable: 'processing',
  'rate-limited': 'throttled',
  internal: 'exception',
};

export class CarnetError extends Error {
  /**
   * @param kind     the family of failure, which fixes the HTTP status
   * @param code     a stable machine-readable reason, e.g. `ins-invalid-key`
   * @param message  the French sentence shown to the user (no health data)
   */
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly expression?: string,
  ) {
    // A refusal (any kind but `internal`) is an answer to the client, not a fault: nothing logs where it was
    // thrown, and capturing that stack through the request's async chain was a good part of what a refused
    // request cost during a flood of sign-ins. Internal errors keep theirs.
    const stackTraceLimit = Error.stackTraceLimit;
    if (kind !== 'internal') Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'CarnetError';
  }

  get status(): number {
    return statusByKind[this.kind];
  }
}

export const invalid = (code: string, message: string, expression?: string) =>
  new CarnetError('invalid', code, message, expression);
export const unauthenticated = (code = 'unauthenticated', message = 'Authentification requise.') =>
  new CarnetError('unauthenticated', code, message);
export const forbidden = (code = 'forbidden', message = 'Accès refusé.') =>
  new CarnetError('forbidden', code, message);
export const notFound = (code = 'not-found', message = 'Ressource introuvable.') =>
  new CarnetError('not-found', code, message);
export const conflict = (code: string, message: string) => new CarnetError('conflict', code, message);
export const rateLimited = (
  message = 'Trop de tentatives. Réessayez dans quelques minutes.',
  code = 'rate-limited',
) => new CarnetError('rate-limited', code, message);

export function statusOf(kind: ErrorKind): number {
  return statusByKind[kind];
}

/** Any thrown value becomes a CarnetError; unknown failures become an opaque internal error. */
export function normalizeError(error: unknown): CarnetError {
  if (error instanceof CarnetError) return error;
  return new CarnetError('internal', 'internal', 'Une erreur interne est survenue. Réessayez plus tard.');
}

export interface OperationOutcomeJson {
  resourceType: 'OperationOutcome';
  issue: Array<{
    severity: 'error' | 'fatal';
    code: string;
    details: { coding: Array<{ system: string; code: string }>; text: string };
    diagnostics?: string;
    expression?: string[];
  }>;
}

export const CARNET_ERROR_SYSTEM = 'https://carnet.example.org/fhir/CodeSystem/error';

export function toOperationOutcome(error: CarnetError): OperationOutcomeJson {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: error.kind === 'internal' ? 'fatal' : 'error',
        code: fhirIssueCodeByKind[error.kind],
        details: { coding: [{ system: CARNET_ERROR_SYSTEM, code: error.code }], text: error.message },
        ...(error.expression ? { expression: [error.expression] } : {}),
      },
    ],
  };
}

/** The JSON error body of the non-FHIR API; the web apps show `message` as is. */
export function toJsonError(error: CarnetError): {
  error: { code: string; kind: ErrorKind; message: string; field?: string };
} {
  return {
    error: {
      code: error.code,
      kind: error.kind,
      message: error.message,
      // The form field at fault, when known, so that the page marks the right one.
      ...(error.expression ? { field: error.expression } : {}),
    },
  };
}
