import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** A port nobody listens on right now (not imported from the test server, which probes PostgreSQL on load). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerEnv {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
}

/** The environment of one bench server, shared by the child process and the in-process seeding. */
export async function serverEnvironment(target: ServerEnv): Promise<Record<string, string>> {
  return {
    CARNET_DATA_DIR: target.dataDir,
    PORT: String(await freePort()),
    CARNET_SMTP_PORT: String(await freePort()),
    // Every bench connection comes from 127.0.0.1: the per-address cap (10) would refuse the 32-connection level.
    CARNET_SMTP_MAX_CONNECTIONS_PER_CLIENT: '1000',
    CARNET_LOG_LEVEL: 'warn',
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
  };
}

export interface ServerProcess {
  /** Where to send requests (127.0.0.1: `localhost` may resolve to ::1 first). */
  readonly origin: string;
  /** CPU seconds the server has used so far, its workers included (Linux `/proc`; undefined elsewhere). */
  cpuSeconds(): number | undefined;
  /** The same, with every live descendant's (`serve --workers N` forks its workers). */
  treeCpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

/** utime + stime of a process, from `/proc/<pid>/stat` (fields 14 and 15, in clock ticks of 1/100 s). */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** `pid` and its live descendants, from the parent pid (field 4) of every `/proc/<pid>/stat`. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we listed.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function treeCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined || processCpuSeconds(pid) === undefined) return undefined;
  return processTree(pid).reduce((sum, p) => sum + (processCpuSeconds(p) ?? 0), 0);
}

async function waitUntilReady(origin: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${origin}/fhir/metadata`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer within 90 s:\n${output()}`);
}

/**
 * `node bin/carnet.js serve [serveArgs]` as a child process, as an operator would run it. `CARNET_BENCH_COMMAND`
 * names another file for the carnet command: bench.test.ts gives a bundle of the same sources, which starts without
 * tsx loading each file (src/shared/testing/child-bundle.ts).
 */
export async function startServerProcess(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
  serveArgs: readonly string[] = [],
): Promise<ServerProcess> {
  // CARNET_BENCH_CPU_PROF=<folder>: each server process writes a V8 CPU profile there when it stops
  // (`npx tsx bench/cpu-profile.ts <file>` summarises one).
  const profile = process.env.CARNET_BENCH_CPU_PROF;
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(
    process.execPath,
    [...profiling, ...nodeArgs, process.env.CARNET_BENCH_COMMAND || 'bin/carnet.js', 'serve', ...serveArgs],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const origin = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(origin, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    origin,
    cpuSeconds: () => treeCpuSeconds(child.pid),
    treeCpuSeconds: () => treeCpuSeconds(child.pid),
    stop,
  };
}
