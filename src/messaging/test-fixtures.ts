import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { CDA_EXAMPLES } from '../record/content/test-files.ts';

/** The ANS example "lettre de liaison à la sortie" (LOINC 11490-0), a real CDA R2 N3 document. */
export function exampleCda(): Buffer {
  return readFileSync(path.join(CDA_EXAMPLES, 'LDL-SES_2022.01.xml'));
}

/** A zip with stored (uncompressed) entries, or deflated ones (a zip bomb is small): IHE_XDM packages in tests. */
export function makeZip(files: Record<string, Buffer | string>, options: { deflate?: boolean } = {}): Buffer {
  const method = options.deflate ? 8 : 0;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, value] of Object.entries(files)) {
    const plain = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    const data = method === 8 ? deflateRawSync(plain) : plain;
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(plain);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(plain.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(plain.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** XDM submission metadata naming the given document files (ebRIM `URI` slots). */
export function xdmMetadata(uris: readonly string[]): string {
  const objects = uris
    .map(
      (uri, i) =>
        `<rim:ExtrinsicObject id="Document${i + 1}" mimeType="text/xml">` +
        `<rim:Slot name="URI"><rim:ValueList><rim:Value>${uri}</rim:Value></rim:ValueList></rim:Slot>` +
        '</rim:ExtrinsicObject>',
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" ' +
    'xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:RegistryObjectList>' +
    `${objects}</rim:RegistryObjectList></lcm:SubmitObjectsRequest>`
  );
}

/**
 * An `IHE_XDM.ZIP` of a few kilobytes whose listed document unpacks to `documentBytes` (deflated zeros): six of
 * them in one mail was the review's 273 MB on disk from a 376 KB message.
 */
export function xdmBomb(documentBytes: number): Buffer {
  return makeZip(
    {
      'IHE_XDM/SUBSET01/METADATA.XML': xdmMetadata(['DOC0001.XML']),
      'IHE_XDM/SUBSET01/DOC0001.XML': Buffer.alloc(documentBytes),
    },
    { deflate: true },
  );
}

export function xdmPackage(cda: Buffer): Buffer {
  return makeZip({
    'IHE_XDM/SUBSET01/METADATA.XML': xdmMetadata(['DOC0001.XML']),
    'IHE_XDM/SUBSET01/DOC0001.XML': cda,
    'IHE_XDM/SUBSET01/UNLISTED.XML': '<x/>',
    'INDEX.HTM': '<html></html>',
  });
}

/** A message as a professional's MSSanté client would send it. */
export async function professionalMessage(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({
    from: 'Dr Claire Martin <dr.martin@cabinet.mssante.fr>',
    subject: 'Résultats',
    text: 'Bonjour, voici vos résultats.',
    headers: { 'X-MSS-NIL': '2' },
    ...options,
  })
    .compile()
    .build();
}
