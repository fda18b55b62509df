import { useEffect, useState } from 'react';
import type { Overview } from '../../src/http/contracts/overview-api.ts';
import { api, messageOf } from '../shared/api.ts';

/** The shape of `GET /api/patient/overview/<profile id>`, from its contract. */
export type { Overview, PreventionReminder } from '../../src/http/contracts/overview-api.ts';

export type OverviewState =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'loaded'; readonly data: Overview };

const changed = 'carnet:attention-changed';

/** Says that something the home counts has changed (a document or a conversation opened): counts are read again. */
export function attentionChanged(): void {
  window.dispatchEvent(new Event(changed));
}

/**
 * What needs the patient on the profile on screen: the home's items and the tab bar's badges, in one call. Read
 * again when `refresh` changes (a return to the home) and when a page says it changed a count (a document or a
 * conversation opened): not on every page, as each read is a line of the patient's access history.
 */
export function useOverview(profileId: string | undefined, refresh: number): OverviewState {
  const [state, setState] = useState<{ profileId: string; state: OverviewState }>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const again = () => setTick((n) => n + 1);
    window.addEventListener(changed, again);
    return () => window.removeEventListener(changed, again);
  }, []);
  useEffect(() => {
    if (!profileId) return;
    let current = true;
    api<Overview>('GET', `/api/patient/overview/${encodeURIComponent(profileId)}`)
      .then((data) => current && setState({ profileId, state: { status: 'loaded', data } }))
      .catch((error: unknown) => {
        // A failed refresh keeps the counts already shown; only a first failure is said.
        if (current)
          setState((previous) =>
            previous?.profileId === profileId && previous.state.status === 'loaded'
              ? previous
              : { profileId, state: { status: 'failed', message: messageOf(error) } },
          );
      });
    return () => {
      current = false;
    };
  }, [profileId, refresh, tick]);
  return state && state.profileId === profileId ? state.state : { status: 'loading' };
}
