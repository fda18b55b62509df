import type { Config } from '../../config/index.ts';
import { CarnetError } from '../../shared/errors.ts';
import { openContent, sealContent } from './blob.ts';

const PREFIX = 'sealed1:';

/**
 * Health text kept in a database column (a message body) is encrypted like document files: AES-256-GCM under
 * the document key, bound to its patient and row, so a dump of the database reveals no content.
 */
export function sealText(
  config: Pick<Config, 'documentKey'>,
  patientId: string,
  rowId: string,
  text: string,
): string {
  return (
    PREFIX +
    sealContent(config.documentKey, patientId, `text:${rowId}`, Buffer.from(text, 'utf8')).toString('base64')
  );
}

export function openText(
  config: Pick<Config, 'documentKey'>,
  patientId: string,
  rowId: string,
  stored: string,
): string {
  if (!stored.startsWith(PREFIX)) {
    throw new CarnetError('internal', 'content-corrupt', 'Ce contenu est illisible : il a été altéré.');
  }
  const opened = openContent(
    [config.documentKey],
    patientId,
    `text:${rowId}`,
    Buffer.from(stored.slice(PREFIX.length), 'base64'),
  );
  if (!opened.ok)
    throw new CarnetError('internal', 'content-corrupt', 'Ce contenu est illisible : il a été altéré.');
  return opened.plain.toString('utf8');
}
