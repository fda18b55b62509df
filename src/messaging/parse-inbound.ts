import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { invalid } from '../shared/index.ts';
import { normalizeMessageId, parseMessageIds } from './conversation.ts';
import { headerSection } from './dsn.ts';
import { mssHeadersOf } from './mss-headers.ts';
import { normalizeAddress } from './routing.ts';

export interface ParsedAttachment {
  readonly filename: string | undefined;
  readonly declaredType: string;
  readonly content: Buffer;
}

export interface ParsedInbound {
  readonly messageId: string;
  readonly inReplyTo: string | undefined;
  readonly references: string[];
  readonly from: { readonly address: string; readonly name: string | undefined };
  readonly to: string[];
  readonly cc: string[];
  readonly subject: string;
  /** Plain text for display: the text part, or the HTML part turned into text (raw HTML is never kept). */
  readonly text: string;
  readonly sentAt: Date | undefined;
  readonly mssHeaders: Record<string, string>;
  readonly attachments: ParsedAttachment[];
  readonly rawSha256: string;
  readonly headerSection: string;
}

const malformed = (detail: string) =>
  invalid('mime-malformed', `Message mal formé (MIME) : ${detail}. Rien n’a été conservé.`);

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.flatMap((v) => (v.address ? [normalizeAddress(v.address)] : [])));
}

/** Structural checks mailparser is too lenient for: a header first, a declared boundary that is used. */
function checkStructure(raw: Buffer, parsed: ParsedMail): void {
  const head = headerSection(raw);
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(head)) throw malformed('pas d’en-tête');
  const type = parsed.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  if (type?.value?.toLowerCase().startsWith('multipart/')) {
    const boundary = type.params?.boundary;
    if (!boundary) throw malformed('multipart sans délimiteur');
    if (!raw.includes(`--${boundary}`)) throw malformed('délimiteur multipart absent du corps');
  }
}

/**
 * HTML → text, tags and script/style elements dropped. A scan by index, each character looked at once: the
 * patterns it replaces (`<[^>]+>`, `<script[\s\S]*?<\/script>`) were quadratic on a body of unclosed tags.
 */
export function stripHtml(html: string): string {
  const lower = html.toLowerCase();
  const parts: string[] = [];
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open === -1) {
      parts.push(html.slice(at));
      break;
    }
    parts.push(html.slice(at, open), ' ');
    const element = ['script', 'style'].find((name) => lower.startsWith(`<${name}`, open));
    const end = element === undefined ? open : lower.indexOf(`</${element}`, open);
    const close = end === -1 ? -1 : html.indexOf('>', end);
    // An unclosed tag or element runs to the end of the body: nothing after it is text.
    if (close === -1) break;
    at = close + 1;
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function textOf(parsed: ParsedMail): string {
  if (typeof parsed.text === 'string' && parsed.text.trim() !== '') return parsed.text;
  // mailparser already turns HTML into text; this is only a fallback.
  return typeof parsed.html === 'string' ? stripHtml(parsed.html) : '';
}

/** Parses the exact bytes received; throws `mime-malformed` (nothing stored) when they are not a message. */
export async function parseInbound(raw: Buffer, generatedIdDomain: string): Promise<ParsedInbound> {
  if (raw.length === 0) throw malformed('message vide');
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  } catch {
    throw malformed('analyse impossible');
  }
  checkStructure(raw, parsed);
  const from = parsed.from?.value.find((v) => v.address);
  if (!from?.address) throw malformed('expéditeur (From) absent');
  const rawSha256 = createHash('sha256').update(raw).digest('hex');
  const references = parseMessageIds(parsed.references);
  return {
    // A missing Message-ID is derived from the bytes, so that a retried delivery gets the same one.
    messageId: normalizeMessageId(parsed.messageId) ?? `${rawSha256.slice(0, 32)}@${generatedIdDomain}`,
    inReplyTo: parseMessageIds(parsed.inReplyTo)[0],
    references,
    from: { address: normalizeAddress(from.address), name: from.name || undefined },
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: (parsed.subject ?? '').trim(),
    text: textOf(parsed),
    sentAt: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : undefined,
    mssHeaders: mssHeadersOf(parsed.headers),
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename,
      declaredType: a.contentType,
      content: a.content,
    })),
    rawSha256,
    headerSection: headerSection(raw),
  };
}
