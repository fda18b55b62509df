/** The JSON API as the web apps see it: every failure becomes an `ApiError` carrying the server's French message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The form field at fault, when the server names it. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const unavailable = 'Le service est momentanément indisponible. Réessayez dans quelques instants.';
const offline = 'Impossible de joindre le serveur. Vérifiez votre connexion internet puis réessayez.';

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string; readonly field?: string };
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  return new ApiError(
    response.status,
    body.error?.code ?? 'unknown',
    body.error?.message ?? unavailable,
    body.error?.field,
  );
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  /** `signal`: a request made stale (a newer search) is cancelled. */
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      ...(options.signal ? { signal: options.signal } : {}),
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', offline);
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** The message to show for anything thrown while calling the API. */
export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : unavailable;
}

export const isUnauthenticated = (error: unknown): boolean =>
  error instanceof ApiError && error.status === 401;
