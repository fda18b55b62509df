import type { AppContext } from '../app/context.ts';

// Placeholder until the mail worker and the embedded relay land.
export async function startMailSystem(_ctx: AppContext): Promise<{ stop(): Promise<void> }> {
  return { stop: async () => undefined };
}
