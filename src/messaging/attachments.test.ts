import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { makePdf } from '../record/content/test-files.ts';
import { classifyAttachment, isXdmPackage, safeFilename } from './attachment-kind.ts';
import { buildDsn, headerSection } from './dsn.ts';
import { filingTitle, filingTypeCode, FALLBACK_TYPE_CODE, subjectAsTitle } from './filing.ts';
import { buildReplyMime } from './reply-mime.ts';
import { expandAttachments } from './expand-attachments.ts';
import { exampleCda, makeZip, xdmBomb, xdmMetadata, xdmPackage } from './test-fixtures.ts';
import { documentUris, unpackXdm } from './xdm.ts';

describe('attachment kinds', () => {
  it('recognises PDF, images, text and CDA by their bytes, whatever was declared', async () => {
    const pdf = await makePdf('x');
    expect(classifyAttachment(pdf, 'application/octet-stream', 'a.bin')).toEqual({
      kind: 'pdf',
      contentType: 'application/pdf',
      viewable: true,
    });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    expect(classifyAttachment(png, 'text/plain', 'x.txt').kind).toBe('image');
    expect(classifyAttachment(Buffer.from('Bonjour'), 'text/plain', 'a.txt').kind).toBe('text');
    expect(classifyAttachment(exampleCda(), 'application/xml', 'cda.xml')).toMatchObject({
      kind: 'cda',
      contentType: 'text/xml',
    });
  });

  it('keeps other types, not viewable, with a cleaned declared type', () => {
    const zip = makeZip({ 'a.txt': 'x' });
    expect(classifyAttachment(zip, 'application/zip', 'a.zip')).toEqual({
      kind: 'other',
      contentType: 'application/zip',
      viewable: false,
    });
    expect(classifyAttachment(zip, 'weird type<script>', 'a').contentType).toBe('application/octet-stream');
    expect(classifyAttachment(Buffer.from('<html><body>x</body></html>'), 'text/html', 'a.html').kind).toBe(
      'other',
    );
  });

  it('names XDM packages and cleans file names', () => {
    expect(isXdmPackage('IHE_XDM.ZIP')).toBe(true);
    expect(isXdmPackage('ihe_xdm.zip')).toBe(true);
    expect(isXdmPackage('IHE_XDM.ZIP.pdf')).toBe(false);
    expect(safeFilename('../../etc/passwd', 'f')).toBe('passwd');
    expect(safeFilename('a"b<c>.pdf', 'f')).toBe('a_b_c_.pdf');
    expect(safeFilename(undefined, 'piece-jointe-1')).toBe('piece-jointe-1');
    expect(safeFilename('..', 'f')).toBe('f');
  });
});

/** The longest the event loop was held between two turns, from now until `stop()`. */
function eventLoopLag() {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(worst, performance.now() - last);
    },
  };
}

describe('IHE XDM', () => {
  it('reads the URI slots of METADATA.XML', async () => {
    expect(await documentUris(xdmMetadata(['DOC0001.XML', 'DOC0002.XML']))).toEqual([
      'DOC0001.XML',
      'DOC0002.XML',
    ]);
    const split = '<Slot name="URI"><ValueList><Value>1|DOC</Value><Value>2|1.XML</Value></ValueList></Slot>';
    expect(await documentUris(split)).toEqual(['DOC1.XML']);
  });

  const roomy = () => ({ bytesLeft: 10 * 1024 * 1024, filesLeft: 100 });

  it('unpacks METADATA.XML and the listed documents only', async () => {
    const cda = exampleCda();
    const budget = roomy();
    const docs = await unpackXdm(xdmPackage(cda), budget);
    expect(docs.map((d) => d.path)).toEqual([
      'IHE_XDM/SUBSET01/METADATA.XML',
      'IHE_XDM/SUBSET01/DOC0001.XML',
    ]);
    expect(docs[1]!.content.equals(cda)).toBe(true);
    expect(budget.filesLeft).toBe(98);
    expect(budget.bytesLeft).toBe(10 * 1024 * 1024 - docs[0]!.content.length - cda.length);
  });

  it('refuses a zip without metadata, and garbage', async () => {
    await expect(unpackXdm(makeZip({ 'IHE_XDM/SUBSET01/DOC.XML': 'x' }), roomy())).rejects.toMatchObject({
      code: 'xdm-no-metadata',
    });
    await expect(unpackXdm(Buffer.from('not a zip at all'), roomy())).rejects.toMatchObject({
      code: 'xdm-invalid',
    });
  });

  // Security review regression: fails on 027241f, before the fix.
  it('reads a crafted METADATA.XML off the event loop, which keeps turning meanwhile', async () => {
    // 2.8 KB: an unclosed Value full of blanks took the former regular expression cubic time (18.9 s).
    const crafted = `<Slot name="URI"><ValueList><Value>${' '.repeat(2_760)}x</ValueList></Slot>`;
    // 1 MB of elements: linear for the parser, still about a second of it.
    const heavy = `<r>${'<a b="c"/>'.repeat(90_000)}</r>`;
    const lag = eventLoopLag();
    const started = performance.now();
    const outcomes = await Promise.allSettled([documentUris(crafted), documentUris(heavy)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect(performance.now() - started).toBeLessThan(3_000);
    // The former pattern held the loop for seconds; the margin is for a loaded test machine (2 cores, shared).
    expect(lag.stop()).toBeLessThan(250);
  });

  it('stops a read that takes too long, and reads the next ones with a fresh worker', async () => {
    const heavy = `<r>${'<a b="c"/>'.repeat(90_000)}</r>`;
    await expect(documentUris(heavy, 20)).rejects.toMatchObject({ code: 'xdm-metadata-invalid' });
    expect(await documentUris(xdmMetadata(['DOC0001.XML']))).toEqual(['DOC0001.XML']);
  });

  it('refuses a DOCTYPE (no entity is ever expanded), malformed XML, too deep a nesting, too large a file', async () => {
    const xxe =
      '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>' +
      '<Slot name="URI"><ValueList><Value>&e;</Value></ValueList></Slot>';
    const deep = `${'<a>'.repeat(200)}${'</a>'.repeat(200)}`;
    const huge = xdmMetadata(['DOC.XML']).replace('DOC.XML', `DOC.XML${' '.repeat(1024 * 1024)}`);
    const mismatched = '<Slot name="URI"><ValueList><Value>DOC.XML</ValueList></Slot>';
    for (const xml of [xxe, deep, huge, mismatched])
      await expect(documentUris(xml)).rejects.toMatchObject({ code: 'xdm-metadata-invalid' });
  });

  // Security review regression: fails on 027241f, before the fix.
  it('spends one budget for the whole message and stops at it, not at the sizes the zips declare', async () => {
    const limits = { maxExpandedBytes: 5 * 1024 * 1024, maxFiles: 100 };
    const bomb = {
      filename: 'IHE_XDM.ZIP',
      declaredType: 'application/zip',
      content: xdmBomb(2 * 1024 * 1024),
    };
    // Two fit (4 MB), the third passes 5 MB: the message is refused, whatever each zip alone would be.
    await expect(expandAttachments([bomb, bomb], limits)).resolves.toHaveLength(6);
    await expect(expandAttachments([bomb, bomb, bomb], limits)).rejects.toMatchObject({
      kind: 'too-large',
      code: 'message-expansion-too-large',
    });
    // Files count too: the attachments themselves and what their archives add.
    await expect(expandAttachments([bomb, bomb], { ...limits, maxFiles: 5 })).rejects.toMatchObject({
      code: 'message-expansion-too-large',
    });
    const notes = Array.from({ length: 6 }, (_, i) => ({
      filename: `note-${i}.txt`,
      declaredType: 'text/plain',
      content: Buffer.from('x'),
    }));
    await expect(expandAttachments(notes, { ...limits, maxFiles: 5 })).rejects.toMatchObject({
      code: 'message-expansion-too-large',
    });
    // An archive that is not a readable XDM is still kept as it came, unexpanded.
    const garbage = {
      filename: 'IHE_XDM.ZIP',
      declaredType: 'application/zip',
      content: Buffer.from('zip?'),
    };
    await expect(expandAttachments([garbage], limits)).resolves.toHaveLength(1);
  });
});

describe('delivery status notification (RFC 3464)', () => {
  const original = Buffer.from(
    'From: dr.martin@cabinet.mssante.fr\r\nTo: 164053818509916@patient.mssante.fr\r\nSubject: Résultats\r\nMessage-ID: <m1@cabinet>\r\n\r\nCorps confidentiel\r\n',
  );
  const dsn = buildDsn({
    reportingDomain: 'patient.mssante.fr',
    to: 'dr.martin@cabinet.mssante.fr',
    messageId: 'dsn1@patient.mssante.fr',
    date: new Date('2025-03-01T10:00:00Z'),
    arrivalDate: new Date('2025-03-01T09:59:00Z'),
    recipients: [
      { address: '164053818509916@patient.mssante.fr', status: '5.1.1', diagnostic: '550 5.1.1 opted out' },
    ],
    originalHeaders: headerSection(original),
    originalMessageId: 'm1@cabinet',
    boundary: 'b1',
  });

  it('is a multipart/report with a French human part, the status and the original headers only', async () => {
    expect(dsn).toMatch(/Content-Type: multipart\/report; report-type=delivery-status; boundary="b1"/);
    expect(dsn).toMatch(
      /Content-Type: message\/delivery-status\r\n\r\nReporting-MTA: dns; patient\.mssante\.fr/,
    );
    expect(dsn).toContain(
      'Final-Recipient: rfc822; 164053818509916@patient.mssante.fr\r\nAction: failed\r\nStatus: 5.1.1',
    );
    expect(dsn).toContain('X-MSS-NIL: 1');
    expect(dsn).toMatch(/text\/rfc822-headers\r\n\r\nFrom: dr\.martin[\s\S]*Message-ID: <m1@cabinet>/);
    expect(dsn).not.toContain('Corps confidentiel');
    const parsed = await simpleParser(dsn);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.text).toBe('dr.martin@cabinet.mssante.fr');
    expect(parsed.text).toContain('n’a pas pu être distribué');
    expect(parsed.inReplyTo).toBe('<m1@cabinet>');
  });
});

describe('reply MIME', () => {
  it('is threaded, from the patient address, with X-MSS-NIL and the attachments', async () => {
    const raw = await buildReplyMime({
      from: { name: 'Jean DUPONT', address: '168047505611243@patient.mssante.fr' },
      to: 'dr.martin@cabinet.mssante.fr',
      subject: 'Re: Résultats',
      text: 'Merci docteur',
      messageId: 'r1@patient.mssante.fr',
      inReplyTo: 'm2@cabinet',
      references: ['m1@cabinet', 'm2@cabinet'],
      date: new Date('2025-03-01T10:00:00Z'),
      attachments: [{ filename: 'note.txt', contentType: 'text/plain', content: Buffer.from('ma note') }],
    });
    const mail = await simpleParser(raw);
    expect(mail.from?.value[0]?.address).toBe('168047505611243@patient.mssante.fr');
    expect(mail.messageId).toBe('<r1@patient.mssante.fr>');
    expect(mail.inReplyTo).toBe('<m2@cabinet>');
    expect(mail.references).toEqual(['<m1@cabinet>', '<m2@cabinet>']);
    expect(mail.headers.get('x-mss-nil')).toBe('1');
    expect(mail.subject).toBe('Re: Résultats');
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['note.txt', 'ma note'],
    ]);
  });
});

describe('filing rules', () => {
  it('types a filed document from the CDA, then X-MSS-CODECDA, then the fallback', () => {
    expect(filingTypeCode('11490-0', '11502-2')).toBe('11490-0');
    expect(filingTypeCode(undefined, ' 11502-2 ')).toBe('11502-2');
    expect(filingTypeCode('unknown', 'DOCPAT01')).toBe(FALLBACK_TYPE_CODE);
    expect(filingTypeCode('10213-7', 'REMB')).toBe(FALLBACK_TYPE_CODE);
  });

  it('titles a filed attachment as the patient typed it, else the subject, the CDA title, the filename', () => {
    const file = { filename: 'compte-rendu.pdf' };
    expect(filingTitle({ ...file, given: '  Compte rendu   du Dr Martin ', subject: 'Re: x' })).toBe(
      'Compte rendu du Dr Martin',
    );
    expect(filingTitle({ ...file, subject: 'RE : TR: Résultats de votre bilan', cdaTitle: 'CR' })).toBe(
      'Résultats de votre bilan',
    );
    expect(filingTitle({ ...file, subject: '[FIN] Lettre de sortie' })).toBe('Lettre de sortie');
    expect(filingTitle({ ...file, subject: ' Re: ', cdaTitle: ' Lettre de liaison ' })).toBe(
      'Lettre de liaison',
    );
    expect(filingTitle({ ...file, subject: '' })).toBe('compte-rendu');
    expect(filingTitle({ filename: '.pdf' })).toBe('Document reçu par messagerie');
    expect(() => filingTitle({ ...file, given: '   ' })).toThrow(
      expect.objectContaining({ code: 'title-required', message: 'Indiquez un titre pour le document.' }),
    );
    expect(() => filingTitle({ ...file, given: 'x'.repeat(257) })).toThrow(
      expect.objectContaining({ code: 'title-too-long' }),
    );
    expect(subjectAsTitle('Fwd:  Ordonnance\n renouvelée')).toBe('Ordonnance renouvelée');
  });
});
