import {
  PDFArray,
  PDFDocument,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
  type PDFObject,
} from 'pdf-lib';

/** Bytes 0x80–0x9F of WinAnsiEncoding; the rest is Latin-1. */
const winAnsiHigh = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

const decodeWinAnsi = (bytes: readonly number[]) =>
  bytes.map((b) => (b >= 0x80 && b <= 0x9f ? winAnsiHigh[b - 0x80]! : String.fromCharCode(b))).join('');

function literalBytes(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const next = body[++i]!;
    const octal = /^[0-7]{1,3}/.exec(body.slice(i))?.[0];
    if (octal) {
      out.push(Number.parseInt(octal, 8));
      i += octal.length - 1;
    } else
      out.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return out;
}

function streamBytes(pdf: PDFDocument, object: PDFObject | undefined): Uint8Array[] {
  const resolved = object instanceof PDFRef ? pdf.context.lookup(object) : object;
  if (resolved instanceof PDFArray) return resolved.asArray().flatMap((item) => streamBytes(pdf, item));
  if (resolved instanceof PDFRawStream) return [decodePDFRawStream(resolved).decode()];
  if (resolved instanceof PDFStream) return [resolved.getContents()];
  return [];
}

/**
 * The text a PDF shows, page by page and line by line, read from the content streams' text operators (`Tj`):
 * enough for the simple Latin PDFs Carnet writes with the standard fonts (pdf-lib cannot extract text).
 */
export async function pdfTextLines(bytes: Uint8Array): Promise<string[][]> {
  const pdf = await PDFDocument.load(bytes);
  return pdf.getPages().map((page) => {
    const content = streamBytes(pdf, page.node.Contents())
      .map((part) => Buffer.from(part).toString('latin1'))
      .join('\n');
    const lines: string[] = [];
    for (const match of content.matchAll(/<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      const bytes =
        match[1] !== undefined
          ? (match[1].replace(/\s/g, '').match(/../g) ?? []).map((h) => Number.parseInt(h, 16))
          : literalBytes(match[2]!);
      lines.push(decodeWinAnsi(bytes));
    }
    return lines;
  });
}
