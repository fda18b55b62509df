import type { Config } from '../config/index.ts';

type Settings = Pick<
  Config['smtpGateway'],
  'maxConnectionsPerClient' | 'maxUnknownRecipients' | 'unknownRecipientsWindowSeconds'
>;

/** Past half the refused recipients allowed, each further refusal is answered this much later. */
export const SLOW_DOWN_MS = 1_000;
/** Clients remembered before the ones with nothing left in the window are forgotten. */
const SWEEP_ABOVE = 10_000;

export type ConnectDecision = 'accept' | 'too-many-connections' | 'too-many-refusals';

/** What to do with one more refused recipient: answer it (after `delayMs`), or answer 421 and hang up. */
export type RefusalDecision =
  { readonly kind: 'answer'; readonly delayMs: number } | { readonly kind: 'disconnect' };

/**
 * Per client IP address: concurrent connections, and recipients refused (unknown patient, not an INS…) in a
 * sliding window. Refusals are what guessing INS numbers produces; past half the allowance they are slowed
 * down, at the allowance the client is cut off until the window has moved on.
 */
export class ClientLimits {
  private readonly connections = new Map<string, number>();
  private readonly refusals = new Map<string, number[]>();

  constructor(
    private readonly settings: Settings,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new connection from `ip`; when accepted, `disconnected(ip)` must follow. */
  connect(ip: string): ConnectDecision {
    if (this.recentRefusals(ip) >= this.settings.maxUnknownRecipients) return 'too-many-refusals';
    const open = this.connections.get(ip) ?? 0;
    if (open >= this.settings.maxConnectionsPerClient) return 'too-many-connections';
    this.connections.set(ip, open + 1);
    return 'accept';
  }

  disconnected(ip: string): void {
    const open = (this.connections.get(ip) ?? 1) - 1;
    if (open > 0) this.connections.set(ip, open);
    else this.connections.delete(ip);
  }

  /** One more recipient refused to `ip`. */
  refused(ip: string): RefusalDecision {
    const count = this.recentRefusals(ip) + 1;
    this.refusals.set(ip, [...(this.refusals.get(ip) ?? []), this.now()]);
    if (this.refusals.size > SWEEP_ABOVE) this.sweep();
    if (count >= this.settings.maxUnknownRecipients) return { kind: 'disconnect' };
    return { kind: 'answer', delayMs: count > this.settings.maxUnknownRecipients / 2 ? SLOW_DOWN_MS : 0 };
  }

  /** Refusals of `ip` still in the window (older ones are dropped: the list never outgrows the allowance). */
  private recentRefusals(ip: string): number {
    const since = this.now() - this.settings.unknownRecipientsWindowSeconds * 1000;
    const kept = (this.refusals.get(ip) ?? []).filter((at) => at > since);
    if (kept.length > 0) this.refusals.set(ip, kept);
    else this.refusals.delete(ip);
    return kept.length;
  }

  private sweep(): void {
    for (const ip of [...this.refusals.keys()]) this.recentRefusals(ip);
  }
}
