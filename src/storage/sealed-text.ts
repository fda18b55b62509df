import type { Config } from '../config/index.ts';
import { CarnetError } from '../shared/index.ts';
import { openContent, sealContent } from './blob.ts';

const PREFIX = 'sealed1:';

type Keys = Pick<Config, 'documentKey'>;

/**
 * Health text kept in a database column (a message body, a document title, a queued e-mail) is encrypted like
 * document files: AES-256-GCM under the document key, bound to its patient and to its place (`<field>:<row id>`),
 * so a dump of the database reveals no content and a value copied to another row or column does not open.
 */
export function sealField(config: Keys, patientId: string, place: string, text: string): string {
  return (
    PREFIX + sealContent(config.documentKey, patientId, place, Buffer.from(text, 'utf8')).toString('base64')
  );
}

export function openField(config: Keys, patientId: string, place: string, stored: string): string {
  const corrupt = () =>
    new CarnetError('internal', 'content-corrupt', 'Ce contenu est illisible : il a été altéré.');
  if (!stored.startsWith(PREFIX)) throw corrupt();
  const opened = openContent(
    [config.documentKey],
    patientId,
    place,
    Buffer.from(stored.slice(PREFIX.length), 'base64'),
  );
  if (!opened.ok) throw corrupt();
  return opened.plain.toString('utf8');
}

/** A message body (`mss_messages.body_text`, medical profile texts). */
export function sealText(config: Keys, patientId: string, rowId: string, text: string): string {
  return sealField(config, patientId, `text:${rowId}`, text);
}

export function openText(config: Keys, patientId: string, rowId: string, stored: string): string {
  return openField(config, patientId, `text:${rowId}`, stored);
}
