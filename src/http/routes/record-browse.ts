import { parseEpisodeId, type DocumentBrowse } from '../../record/index.ts';
import { invalid } from '../../shared/index.ts';
import type { DocumentsQuery } from '../contracts/record-api.ts';

/** A comma-separated list of codes (blanks ignored); absent or empty: no filter. */
function listOf(value: string | undefined): string[] | undefined {
  const values = (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return values.length ? values : undefined;
}

/** A real calendar day, as a date field sends it. */
function dayOf(value: string | undefined, name: 'from' | 'to'): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text)
    throw invalid('date-invalid', 'Indiquez la date sous la forme jj/mm/aaaa.', name);
  return text;
}

const yes = (value: string | undefined) => value === '1' || value === 'true';

/** The list's query string as the service's browse criteria; `since=last-visit` only where `visits` is true. */
export function browseOf(query: DocumentsQuery, visits: boolean): DocumentBrowse {
  const dateFrom = dayOf(query.from, 'from');
  const dateTo = dayOf(query.to, 'to');
  if (dateFrom && dateTo && dateFrom > dateTo)
    throw invalid('period-invalid', 'La date de début est après la date de fin.', 'from');
  const text = query.q?.trim();
  const episode = query.episode?.trim() ? parseEpisodeId(query.episode.trim()) : undefined;
  if (query.episode?.trim() && !episode)
    throw invalid('episode-invalid', 'Cet épisode de soins n’existe pas.', 'episode');
  return {
    ...(text ? { text } : {}),
    ...optional('classCodes', listOf(query.class)),
    ...optional('typeCodes', listOf(query.type)),
    ...optional('authorNationalIds', listOf(query.author)),
    ...optional('facilityCodes', listOf(query.facility)),
    ...optional('settingCodes', listOf(query.setting)),
    ...(dateFrom ? { dateFrom } : {}),
    ...(dateTo ? { dateTo } : {}),
    ...(yes(query.unread) ? { unread: true } : {}),
    ...(visits && query.since === 'last-visit' ? { sinceLastVisit: true } : {}),
    ...(episode ? { episode } : {}),
  };
}

function optional<K extends string>(key: K, values: string[] | undefined) {
  return (values ? { [key]: values } : {}) as Partial<Record<K, string[]>>;
}
