import { readFile } from 'node:fs/promises';
import type { AppContext } from '../../app/index.ts';
import {
  decideServiceStatus,
  findService,
  listServiceEvents,
  listServices,
  referenceService,
  type CatalogueService,
  type StatusDecision,
} from '../../catalogue/index.ts';
import { loadConfig } from '../../config/index.ts';
import { CarnetError, systemClock } from '../../shared/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';
import { parseArgs } from '../args.ts';
import { createAppContext } from '../../server/index.ts';

export const catalogueUsage = `Usage: carnet catalogue add <json-file>       reference services (one object or an array), or update them
       carnet catalogue list [--all] [--json]  the services (--all: the dereferenced ones too)
       carnet catalogue show <id> [--json]     one service, its OAuth client and its history
       carnet catalogue suspend <id> [--reason <text>]
       carnet catalogue dereference <id> [--reason <text>]
       carnet catalogue offline <id> [--reason <text>]
       carnet catalogue reinstate <id>`;

export interface CatalogueIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const consoleIo: CatalogueIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

const decisions: Readonly<Record<string, StatusDecision>> = {
  suspend: 'suspend',
  dereference: 'dereference',
  offline: 'offline',
  reinstate: 'reinstate',
};

/** `carnet catalogue …`: the operator's commands on the catalogue of referenced services. */
export async function catalogueCommand(args: readonly string[]): Promise<number> {
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, config);
    const ctx: AppContext = createAppContext({
      config,
      db: database.db,
      dialect: database.dialect,
      clock: systemClock,
    });
    return await runCatalogue(ctx, args);
  } finally {
    await database.close();
  }
}

/** The command on a given context (tests call it directly); exit code 0 done, 1 refused, 2 usage. */
export async function runCatalogue(
  ctx: AppContext,
  args: readonly string[],
  io: CatalogueIo = consoleIo,
): Promise<number> {
  const [sub, ...rest] = args;
  const { flags, positionals } = parseArgs(rest, ['reason']);
  const first = positionals[0];
  if (sub === 'list') return list(ctx, io, flags.has('all'), flags.has('json'));
  if (sub === 'add' && first) return add(ctx, io, first);
  if (sub === 'show' && first) return show(ctx, io, first, flags.has('json'));
  const decision = sub ? decisions[sub] : undefined;
  if (decision && first) {
    const reason = flags.get('reason');
    try {
      const service = await decideServiceStatus(
        ctx,
        first,
        decision,
        typeof reason === 'string' ? reason : undefined,
      );
      io.out(`${service.id}: ${service.status}`);
      return 0;
    } catch (error) {
      if (!(error instanceof CarnetError)) throw error;
      io.err(`${first}: ${error.message}`);
      return 1;
    }
  }
  io.err(catalogueUsage);
  return 2;
}

async function add(ctx: AppContext, io: CatalogueIo, file: string): Promise<number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    io.err(
      `${file}: ${error instanceof SyntaxError ? 'invalid JSON' : 'unreadable'} (${(error as Error).message})`,
    );
    return 1;
  }
  const entries = Array.isArray(parsed) ? parsed : [parsed];
  let failed = 0;
  for (const [i, entry] of entries.entries()) {
    try {
      const { service, created } = await referenceService(ctx, entry);
      io.out(`${created ? 'referenced' : 'updated'}: ${service.id} (${service.status})`);
    } catch (error) {
      if (!(error instanceof CarnetError)) throw error;
      failed++;
      const id = (entry as { id?: unknown } | null)?.id;
      const where = error.expression ? ` [${error.expression}]` : '';
      io.err(`entry ${i + 1}${typeof id === 'string' ? ` (${id})` : ''}${where}: ${error.message}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

async function list(ctx: AppContext, io: CatalogueIo, all: boolean, json: boolean): Promise<number> {
  const services = await listServices(ctx.db, all ? {} : { statuses: ['online', 'offline', 'suspended'] });
  if (json) {
    io.out(JSON.stringify(services, null, 2));
    return 0;
  }
  for (const s of services) io.out(line(s));
  io.out(`${services.length} service(s)`);
  return 0;
}

const line = (s: CatalogueService) =>
  [s.id, s.status, s.name, s.editor.name, s.category, s.purposes.join(','), s.oauth?.clientId ?? '-'].join(
    '\t',
  );

async function show(ctx: AppContext, io: CatalogueIo, id: string, json: boolean): Promise<number> {
  const service = await findService(ctx.db, id);
  if (!service) {
    io.err(`${id}: Aucun service « ${id} » au catalogue.`);
    return 1;
  }
  const events = await listServiceEvents(ctx.db, id);
  if (json) {
    io.out(JSON.stringify({ ...service, events }, null, 2));
    return 0;
  }
  io.out(line(service));
  if (service.statusReason) io.out(`reason: ${service.statusReason}`);
  if (service.oauth) {
    io.out(`client_id: ${service.oauth.clientId}`);
    io.out(`redirect_uris: ${service.oauth.redirectUris.join(' ')}`);
    io.out(`scopes: ${service.oauth.scopes.join(' ')}`);
  }
  for (const e of events) io.out(`${e.at}  ${e.action}  ${e.status}${e.reason ? `  ${e.reason}` : ''}`);
  return 0;
}
