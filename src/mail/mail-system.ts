import type { AppContext } from '../app/index.ts';
import type { HostPort } from '../config/index.ts';
import { startEmbeddedRelay, type EmbeddedRelay } from './embedded-relay.ts';
import { startOutboxWorker, type MailLog, type OutboxWorkerOptions } from './outbox-worker.ts';
import { chooseRelay } from './relay.ts';
import { createSender } from './sender.ts';

export interface MailSystem {
  /** Wakes the outbox worker now. */
  kick(): void;
  stop(): Promise<void>;
}

const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** JSON lines like the HTTP logs; fields are ids, counts and SMTP codes only. */
function jsonLog(level: string): MailLog {
  const threshold = Math.max(0, levels.indexOf(level));
  const write = (name: string, message: string, fields: Record<string, string | number>) => {
    if (levels.indexOf(name) < threshold) return;
    process.stdout.write(
      `${JSON.stringify({ level: name, time: Date.now(), component: 'mail', msg: message, ...fields })}\n`,
    );
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
  };
}

/**
 * Outgoing e-mail: the outbox worker sending through `CARNET_SMTP_RELAY`, or through the embedded development
 * relay (which stores `.eml` files under the data folder) when that is unset.
 */
export async function startMailSystem(
  ctx: AppContext,
  options: OutboxWorkerOptions = {},
): Promise<MailSystem> {
  const choice = chooseRelay(ctx.config);
  let relay: EmbeddedRelay | undefined;
  let target: HostPort;
  if (choice.kind === 'embedded') {
    relay = await startEmbeddedRelay(ctx.config.dataDir);
    target = { host: '127.0.0.1', port: relay.port };
  } else {
    target = choice.relay;
  }
  const sender = createSender(target, ctx.config.mailFrom);
  const worker = startOutboxWorker(ctx, sender, { log: jsonLog(ctx.config.logLevel), ...options });
  return {
    kick: () => worker.kick(),
    stop: async () => {
      await worker.stop();
      sender.close();
      await relay?.stop();
    },
  };
}
