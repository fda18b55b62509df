import { isHistoryKind, type HistoryFilter, type HistoryWho } from '../../record/index.ts';
import { invalid } from '../../shared/index.ts';

/** The access history's query string (patient space): the filters, applied by the server. */
export interface HistoryQuery {
  /** `professionals`, `apps`, `me`, `professional:<national id>`, `app:<service id>`; absent: everyone else. */
  who?: string;
  kind?: string;
  from?: string;
  to?: string;
  /** `true`: the patient's own actions (and their representatives') are shown too. */
  own?: string;
  count?: string;
  offset?: string;
}

function whoOf(who: string | undefined, own: boolean): HistoryWho {
  if (who === undefined || who === '' || who === 'all') return own ? 'all' : 'others';
  if (who === 'professionals' || who === 'apps' || who === 'me') return who;
  const [kind, ...rest] = who.split(':');
  const id = rest.join(':');
  if (id && kind === 'professional') return { professional: id };
  if (id && kind === 'app') return { app: id };
  throw invalid('history-who-invalid', 'Choisissez qui afficher dans la liste proposée.', 'who');
}

/**
 * The filter the query asks for. By default the patient's own actions are left out (docs/features.md, "Home and
 * access history").
 */
export function historyFilterOf(query: HistoryQuery): HistoryFilter {
  const own = query.own === 'true' || query.own === '1';
  const kind = query.kind || undefined;
  if (kind !== undefined && !isHistoryKind(kind))
    throw invalid('history-kind-invalid', 'Choisissez un type d’action dans la liste proposée.', 'kind');
  return {
    who: whoOf(query.who, own),
    ...(kind ? { kind } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  };
}
