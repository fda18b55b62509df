/**
 * A one-page PDF (A4, Helvetica) written by hand: the long-term demo record needs about a thousand of them, and
 * pdf-lib takes milliseconds each where this takes microseconds. The bytes depend only on the text, so the same
 * plan gives the same contents (and hashes) every time.
 */

/** Bytes 0x80–0x9F of WinAnsiEncoding (the standard fonts' encoding); the rest is Latin-1. */
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Encodes text for a literal string in WinAnsi: French text as is, anything else folded to its base letter. */
function winAnsiBytes(text: string): number[] {
  const out: number[] = [];
  for (const c of text) {
    const code = c.codePointAt(0)!;
    const high = WIN_ANSI_HIGH.indexOf(c);
    if (code >= 0x20 && code <= 0x7e) out.push(code);
    else if (high >= 0) out.push(0x80 + high);
    else if (code >= 0xa0 && code <= 0xff) out.push(code);
    else if (/\s/.test(c)) out.push(0x20);
    else {
      const folded = c.normalize('NFD').replace(/[^\u0020-\u007e]/g, '');
      out.push(...(folded === '' ? [0x3f] : [...folded].map((f) => f.charCodeAt(0))));
    }
  }
  return out;
}

/** A PDF literal string: parentheses and backslashes escaped, bytes above ASCII as octal escapes. */
function literal(text: string): string {
  return winAnsiBytes(text)
    .map((b) => {
      if (b === 0x28 || b === 0x29 || b === 0x5c) return `\\${String.fromCharCode(b)}`;
      return b < 0x80 ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
    })
    .join('');
}

export interface PdfLine {
  readonly text: string;
  /** Bold, larger: a heading. */
  readonly heading?: boolean;
}

const LINE_LIMIT = 95;

/** Long lines wrap at word boundaries (Helvetica 10 pt fills the text width at about 95 characters). */
function wrapped(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > LINE_LIMIT) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  lines.push(current);
  return lines;
}

/** The PDF (1.4) showing `lines` from the top of one A4 page; lines past the bottom are left out. */
export function simplePdf(title: string, lines: readonly PdfLine[]): Uint8Array {
  const ops: string[] = ['BT', '50 790 Td'];
  let y = 790;
  for (const line of lines) {
    const size = line.heading ? 13 : 10;
    const leading = line.heading ? 22 : 14;
    for (const part of line.heading ? [line.text] : wrapped(line.text)) {
      if (y < 50) break;
      ops.push(`/${line.heading ? 'F2' : 'F1'} ${size} Tf`, `(${literal(part)}) Tj`, `0 -${leading} Td`);
      y -= leading;
    }
  }
  ops.push('ET');
  const stream = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    `<< /Title (${literal(title)}) /Producer (Carnet demo) >>`,
  ];
  // Every character above is one byte (octal escapes keep the body ASCII): offsets are string lengths.
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
