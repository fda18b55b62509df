import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { uuidv7 } from '../shared/index.ts';
import { mailboxDir } from './dev-mailbox.ts';

export interface EmbeddedRelay {
  readonly port: number;
  stop(): Promise<void>;
}

/** `20250102T030405.678Z-<uuidv7>`: text order is arrival order, and the name is safe in any file system. */
export function mailFileId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '')}-${uuidv7(now.getTime())}`;
}

/** Temp name, fsync, rename: a message in the mailbox is always whole, even after a crash. */
async function storeMessage(dir: string, stream: Readable): Promise<void> {
  const id = mailFileId(new Date());
  const temp = path.join(dir, `.${id}.tmp`);
  try {
    await pipeline(stream, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    if ((stream as Readable & { sizeExceeded?: boolean }).sizeExceeded) throw new Error('message too large');
    const handle = await open(temp, 'r');
    await handle.sync().finally(() => handle.close());
    await rename(temp, path.join(dir, `${id}.eml`));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * The development relay (used only when `CARNET_SMTP_RELAY` is unset): SMTP on 127.0.0.1, on a port chosen at
 * start, that stores every message it accepts as an `.eml` file under `$CARNET_DATA_DIR/mailbox/`.
 */
export async function startEmbeddedRelay(dataDir: string): Promise<EmbeddedRelay> {
  const dir = mailboxDir(dataDir);
  await mkdir(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: 10 * 1024 * 1024,
    closeTimeout: 2_000,
    logger: false,
    onData: (stream, _session, callback) => {
      storeMessage(dir, stream).then(
        () => callback(),
        (error: unknown) => callback(error instanceof Error ? error : new Error('store failed')),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client dropping its connection must not bring the server down.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
