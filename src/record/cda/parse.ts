import { CarnetError } from '../../shared/index.ts';
import { readCdaXml, type CdaRootProblem } from './detect.ts';
import { sectionEntries } from './entries.ts';
import { codeOf, headerOf } from './header.ts';
import { blocksToText, narrativeBlocks } from './narrative.ts';
import type { CdaDocument, CdaMedia, CdaSection, NonXmlBody } from './types.ts';
import { MAX_XML_DEPTH, all, attr, first, kids, nameOf, optionalText, textOf, type XmlNode } from './xml.ts';

/** Why a text is not a usable CDA R2 document: a stable code and a French message (no health data). */
export class CdaError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CdaError';
  }

  /** The API's 422, for a deposit whose XML is not a readable CDA. */
  toCarnetError(): CarnetError {
    return new CarnetError('unprocessable', this.code, this.message);
  }
}

const rootMessages: Record<CdaRootProblem, string> = {
  'not-well-formed': 'Le document XML est mal formé.',
  doctype: 'Un document CDA ne doit pas contenir de déclaration DOCTYPE.',
  'not-clinical-document':
    'Ce document XML n’est pas un document CDA R2 (élément racine ClinicalDocument attendu).',
  'wrong-namespace': 'Ce document XML n’est pas un document CDA R2 (espace de noms urn:hl7-org:v3 attendu).',
  'too-deep': `Le document CDA est trop imbriqué pour être lu (plus de ${MAX_XML_DEPTH} niveaux d’éléments).`,
  'reserved-name': 'Le document CDA contient des noms d’éléments ou d’attributs qui ne peuvent pas être lus.',
};

/** Decodes a B64 `ED` value; undefined when it is not valid base64. */
function decodeBase64(raw: string): Buffer | undefined {
  const compact = raw.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, 'base64');
}

/** `observationMedia` anywhere below the section's entries (they nest in organizers and components). */
function mediaOf(entries: XmlNode[]): CdaMedia[] {
  const found: CdaMedia[] = [];
  const visit = (node: XmlNode) => {
    if (nameOf(node) === 'observationMedia') {
      const value = first(node, 'value');
      const bytes = attr(value, 'representation') === 'B64' ? decodeBase64(textOf(value)) : undefined;
      const mediaType = attr(value, 'mediaType');
      if (bytes && mediaType) found.push({ id: attr(node, 'ID'), mediaType, bytes });
      return;
    }
    kids(node).forEach(visit);
  };
  entries.forEach(visit);
  return found;
}

function sectionOf(section: XmlNode): CdaSection {
  const blocks = narrativeBlocks(first(section, 'text'));
  return {
    title: optionalText(first(section, 'title')),
    code: codeOf(first(section, 'code')),
    text: blocksToText(blocks),
    blocks,
    entries: sectionEntries(section),
    media: mediaOf(all(section, 'entry')),
    sections: all(section, 'component')
      .flatMap((c) => all(c, 'section'))
      .map(sectionOf),
  };
}

function nonXmlBodyOf(body: XmlNode): NonXmlBody | CdaError {
  const text = first(body, 'text');
  const mediaType = attr(text, 'mediaType') ?? 'text/plain';
  if (first(text, 'reference')) {
    return new CdaError(
      'cda-external-reference',
      'Le corps du document CDA fait référence à un fichier externe.',
    );
  }
  const raw = textOf(text);
  if (attr(text, 'representation') !== 'B64') return { mediaType, bytes: Buffer.from(raw, 'utf8') };
  const bytes = decodeBase64(raw);
  if (!bytes)
    return new CdaError(
      'cda-bad-base64',
      'Le contenu encapsulé dans le document CDA n’est pas un base64 valide.',
    );
  return { mediaType, bytes };
}

/**
 * Parses a CDA R2 document into its header, its sections' readable narrative (structuredBody) or its encapsulated
 * content (nonXMLBody). Returns a CdaError for anything that is not a readable CDA R2 document.
 */
export function parseCda(xml: string): CdaDocument | CdaError {
  const nodes = readCdaXml(xml);
  if (typeof nodes === 'string') return new CdaError(`cda-${nodes}`, rootMessages[nodes]);
  const clinical = nodes.find((n) => nameOf(n) === 'ClinicalDocument');
  const header = clinical && headerOf(clinical);
  if (!clinical || !header) {
    return new CdaError(
      'cda-header-incomplete',
      'L’en-tête du document CDA est incomplet (identifiant ou type absent).',
    );
  }
  const body = first(clinical, 'component');
  const structured = first(body, 'structuredBody');
  const nonXml = first(body, 'nonXMLBody');
  if (structured) {
    const sections = all(structured, 'component')
      .flatMap((c) => all(c, 'section'))
      .map(sectionOf);
    return { header, sections, nonXmlBody: undefined };
  }
  if (nonXml) {
    const content = nonXmlBodyOf(nonXml);
    return content instanceof CdaError ? content : { header, sections: [], nonXmlBody: content };
  }
  return new CdaError('cda-no-body', 'Le document CDA n’a pas de corps (structuredBody ou nonXMLBody).');
}
