import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './test-server.ts';

/** The first port Linux hands out for `listen(0)` and for outgoing connections. */
function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32_768;
  }
}

describe('freePort', () => {
  it('hands out ports the kernel never gives to another server or connection, so a restarted test server gets its mail', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      expect(port).toBeGreaterThan(1024);
      expect(port).toBeLessThan(ephemeralRangeStart());
    }
  });

  it('skips a port of its slice that something already listens on', async () => {
    const taken = await freePort();
    // The next one it would hand out, held by a server left running.
    const held = net.createServer();
    await new Promise<void>((resolve) => held.listen(taken + 1, '127.0.0.1', () => resolve()));
    try {
      expect(await freePort()).toBe(taken + 2);
    } finally {
      held.close();
    }
  });
});
