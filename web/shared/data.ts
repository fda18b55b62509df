import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, messageOf } from './api.ts';

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: ApiError | undefined; readonly message: string }
  | { readonly status: 'loaded'; readonly data: T };

/**
 * Loads one resource after another and applies only the latest request's outcome: an answer that arrives after
 * a newer request was made (typing fast in a filter, say) is dropped, never shown over the newer one, and the
 * older request is cancelled (its `signal` aborts) so the server and the network serve the newer one first.
 */
export function latestLoader<T>(
  get: (path: string, signal: AbortSignal) => Promise<T>,
  apply: (state: Loaded<T>) => void,
): { load: (path: string) => Promise<void>; drop: () => void } {
  let latest = 0;
  let inFlight: AbortController | undefined;
  return {
    load: async (path) => {
      const ticket = ++latest;
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      let state: Loaded<T>;
      try {
        state = { status: 'loaded', data: await get(path, controller.signal) };
      } catch (error) {
        state = {
          status: 'failed',
          error: error instanceof ApiError ? error : undefined,
          message: messageOf(error),
        };
      }
      if (ticket === latest) apply(state);
    },
    // Whatever is in flight is now stale (the path changed to none, or the view went away).
    drop: () => {
      latest++;
      inFlight?.abort();
    },
  };
}

/**
 * Loads `path` as it changes (a search being typed), the latest only: the previous answer stays on screen until the
 * next comes, and `shownPath` says which address it answers, so a page can mark itself busy meanwhile. A network
 * hiccup keeps the last answer; a refusal shows. Undefined `path`: nothing to load.
 */
export function useLatest<T>(path: string | undefined): {
  state: Loaded<T>;
  shownPath: string | undefined;
  reload: () => Promise<void>;
} {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [shownPath, setShownPath] = useState<string>();
  const requested = useRef<string>(undefined);
  const [loader] = useState(() =>
    latestLoader<T>(
      (p, signal) => api<T>('GET', p, undefined, { signal }),
      (next) => {
        setShownPath(requested.current);
        setState((previous) =>
          next.status === 'failed' && previous.status === 'loaded' && next.error?.status === 0
            ? previous
            : next,
        );
      },
    ),
  );
  useEffect(() => {
    requested.current = path;
    if (path) void loader.load(path);
    else loader.drop();
  }, [path, loader]);
  useEffect(() => loader.drop, [loader]);
  return { state, shownPath, reload: () => (path ? loader.load(path) : Promise.resolve()) };
}

/** GETs `path` (again when it changes or on `reload`), keeping the server's French message on failure. */
export function useLoad<T>(path: string | undefined): { state: Loaded<T>; reload: () => Promise<void> } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [loader] = useState(() =>
    latestLoader<T>((p, signal) => api<T>('GET', p, undefined, { signal }), setState),
  );
  const load = useCallback(async () => {
    if (path) await loader.load(path);
  }, [path, loader]);
  useEffect(() => {
    setState({ status: 'loading' });
    void load();
    return loader.drop;
  }, [load, loader]);
  return { state, reload: load };
}

/** POSTs a form with its file (multipart): the JSON answer, or an `ApiError` with the server's message. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      body: form,
    });
  } catch {
    throw new ApiError(0, 'network', messageOf(undefined));
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    throw new ApiError(
      response.status,
      body.error?.code ?? 'unknown',
      body.error?.message ?? messageOf(undefined),
    );
  }
  return (await response.json()) as T;
}

/** 2026-03-12T13:05:00Z → "12/03/2026 à 14:05" (Paris time). */
export function frenchDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = date.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
  const time = date.toLocaleTimeString('fr-FR', {
    timeZone: 'Europe/Paris',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${day} à ${time}`;
}

/** 1 234 567 → "1,2 Mo". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} Mo`;
}
