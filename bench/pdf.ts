/**
 * A valid one-page PDF of exactly `size` bytes: the page's content stream carries the padding (comment
 * lines, which a content stream may hold), and the cross-reference table points at the real offsets.
 */
export function paddedPdf(size: number): Buffer {
  const build = (padding: number): Buffer => {
    // Every padding line starts with `%`: a comment, so the page stays blank and the stream valid.
    const filler = Array.from({ length: padding }, (_, i) =>
      i % 64 === 0 ? '%' : i % 64 === 63 ? '\n' : String.fromCharCode(97 + ((i * 7) % 26)),
    );
    const stream = `% Carnet benchmark document\n${filler.join('')}\n`;
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>',
      `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}endstream`,
    ];
    let body = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
    const offsets: number[] = [];
    objects.forEach((object, i) => {
      offsets.push(Buffer.byteLength(body, 'latin1'));
      body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    });
    const xref = Buffer.byteLength(body, 'latin1');
    body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
    body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(body, 'latin1');
  };
  const bare = build(0).length;
  if (size < bare) throw new Error(`a PDF cannot be smaller than ${bare} bytes`);
  // The Length and startxref numbers may gain a digit as the padding grows: converge on the exact size.
  let padding = size - bare;
  for (let attempt = 0; attempt < 5; attempt++) {
    const pdf = build(padding);
    if (pdf.length === size) return pdf;
    padding += size - pdf.length;
  }
  throw new Error(`could not build a PDF of exactly ${size} bytes`);
}
