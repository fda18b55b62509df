import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';

/** One e-mail received by the embedded development relay. */
export interface DevMail {
  /** The file name without `.eml`: sortable by arrival time. */
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  /** ISO-8601, from the Date header (arrival time if the header is missing). */
  readonly date: string;
  readonly text: string;
}

export interface DevMailDetail extends DevMail {
  /** The header lines as received, for the development view. */
  readonly headerLines: readonly string[];
}

const ID_PATTERN = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f-]{36}$/;

export function mailboxDir(dataDir: string): string {
  return path.join(dataDir, 'mailbox');
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

function arrivalDate(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : '';
}

async function parseMail(dataDir: string, id: string): Promise<DevMailDetail> {
  const parsed = await simpleParser(await readFile(path.join(mailboxDir(dataDir), `${id}.eml`)));
  return {
    id,
    to: addressText(parsed.to),
    from: addressText(parsed.from),
    subject: parsed.subject ?? '',
    date: parsed.date ? parsed.date.toISOString() : arrivalDate(id),
    text: (parsed.text ?? '').replace(/\r\n/g, '\n'),
    headerLines: parsed.headerLines.map((h) => h.line),
  };
}

async function mailIds(dataDir: string): Promise<string[]> {
  const names = await readdir(mailboxDir(dataDir)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names
    .filter((n) => n.endsWith('.eml'))
    .map((n) => n.slice(0, -4))
    .filter((id) => ID_PATTERN.test(id))
    .sort()
    .reverse();
}

/** Every e-mail in the development mailbox, newest first. */
export async function readDevMailbox(dataDir: string): Promise<DevMail[]> {
  const ids = await mailIds(dataDir);
  const mails = await Promise.all(ids.map((id) => parseMail(dataDir, id)));
  return mails.map(({ headerLines: _headers, ...mail }) => mail);
}

/** One e-mail with its headers, or undefined for an unknown or malformed id (never a path outside the folder). */
export async function readDevMail(dataDir: string, id: string): Promise<DevMailDetail | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  return parseMail(dataDir, id).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Polls the mailbox until an e-mail matches (tests read activation and one-time codes this way). */
export async function waitForEmail(
  dataDir: string,
  predicate: (mail: DevMail) => boolean,
  timeoutMs = 10_000,
): Promise<DevMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readDevMailbox(dataDir)).find(predicate);
    if (found) return found;
    if (Date.now() >= deadline)
      throw new Error(`no matching e-mail in the development mailbox after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
