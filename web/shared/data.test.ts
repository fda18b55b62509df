import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { latestLoader, type Loaded } from './data.ts';

/** A GET whose answers the test releases in any order. */
function controlledGet() {
  const pending = new Map<string, { resolve: (v: string) => void; reject: (e: unknown) => void }>();
  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      pending.set(path, { resolve, reject });
    });
  return { get, pending };
}

describe('latestLoader', () => {
  it('applies only the latest request: an older answer arriving last is dropped', async () => {
    const { get, pending } = controlledGet();
    const applied: Loaded<string>[] = [];
    const loader = latestLoader(get, (s) => applied.push(s));
    const first = loader.load('/api/documents?q=co');
    const second = loader.load('/api/documents?q=compte');
    pending.get('/api/documents?q=compte')!.resolve('newer');
    await second;
    pending.get('/api/documents?q=co')!.resolve('older');
    await first;
    expect(applied).toEqual([{ status: 'loaded', data: 'newer' }]);
  });

  it('drops a late failure as well, and keeps the server’s message for the latest one', async () => {
    const { get, pending } = controlledGet();
    const applied: Loaded<string>[] = [];
    const loader = latestLoader(get, (s) => applied.push(s));
    const first = loader.load('/a');
    const second = loader.load('/b');
    pending.get('/a')!.reject(new ApiError(500, 'boom', 'Ancienne erreur.'));
    await first;
    expect(applied).toEqual([]);
    pending.get('/b')!.reject(new ApiError(404, 'not-found', 'Document introuvable.'));
    await second;
    expect(applied).toMatchObject([{ status: 'failed', message: 'Document introuvable.' }]);
  });

  it('drops what is in flight once dropped (the view went away or has nothing to load)', async () => {
    const { get, pending } = controlledGet();
    const applied: Loaded<string>[] = [];
    const loader = latestLoader(get, (s) => applied.push(s));
    const load = loader.load('/a');
    loader.drop();
    pending.get('/a')!.resolve('stale');
    await load;
    expect(applied).toEqual([]);
  });

  it('cancels the request a newer one makes stale, and the one in flight when dropped', async () => {
    const signals = new Map<string, AbortSignal>();
    const loader = latestLoader(
      (path, signal) => {
        signals.set(path, signal);
        return new Promise<string>(() => undefined);
      },
      () => undefined,
    );
    void loader.load('/api/documents?q=co');
    expect(signals.get('/api/documents?q=co')!.aborted).toBe(false);
    void loader.load('/api/documents?q=compte');
    expect(signals.get('/api/documents?q=co')!.aborted).toBe(true);
    expect(signals.get('/api/documents?q=compte')!.aborted).toBe(false);
    loader.drop();
    expect(signals.get('/api/documents?q=compte')!.aborted).toBe(true);
  });
});
