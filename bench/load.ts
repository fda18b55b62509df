import http from 'node:http';

/** The `q`-quantile (0..1) of `values`, by the nearest-rank method. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export interface LoadResult {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Latency of each operation, milliseconds. */
  readonly latencies: number[];
}

export interface LoadPlan {
  readonly concurrency: number;
  /** Stop starting operations after this long… */
  readonly seconds?: number;
  /** …or after this many operations in all (whichever comes first). */
  readonly operations?: number;
}

/**
 * A closed loop: `concurrency` clients, each starting its next operation when the last one ends, until the
 * time or the count is reached. Throughput is operations over the wall time of the whole run.
 */
export async function runClients(
  plan: LoadPlan,
  operation: (index: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const limit = plan.operations ?? Number.POSITIVE_INFINITY;
  const started = performance.now();
  const deadline = plan.seconds === undefined ? Number.POSITIVE_INFINITY : started + plan.seconds * 1000;
  let next = 0;
  const client = async () => {
    while (next < limit && performance.now() < deadline) {
      const index = next++;
      const t0 = performance.now();
      await operation(index);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  return { operations: latencies.length, seconds, perSecond: latencies.length / seconds, latencies };
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * A keep-alive HTTP client (node:http: less CPU per request than fetch, which matters on two cores); with
 * `timeoutMs`, a request whose socket stays idle that long fails instead of waiting for ever.
 */
export function httpClient(origin: string, sockets: number, timeoutMs?: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const base = new URL(origin);
  const send = (method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const request = http.request(
        { agent, host: base.hostname, port: base.port, method, path, headers, timeout: timeoutMs },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.end(body);
    });
  return {
    get: (path: string, headers: http.OutgoingHttpHeaders) => send('GET', path, headers),
    post: (path: string, headers: http.OutgoingHttpHeaders, body: string) =>
      send('POST', path, { ...headers, 'content-length': Buffer.byteLength(body) }, body),
    close: () => agent.destroy(),
  };
}

export type HttpClient = ReturnType<typeof httpClient>;
