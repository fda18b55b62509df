// Reads the URI slots of an XDM METADATA.XML in a worker thread: the XML comes from any sender, and its parse
// (linear, but about a microsecond a byte on a crafted file) must not hold the server's event loop. Plain
// JavaScript, so that the worker runs without the TypeScript loader. Protocol: { id, xml } → { id, uris } or
// { id, error: 'invalid' }.
import { parentPort } from 'node:worker_threads';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** ebRIM nests Slot/ValueList/Value a few levels under SubmitObjectsRequest; deeper is not metadata. */
const MAX_DEPTH = 32;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Entities are never expanded (and a DOCTYPE, their only source, is refused before parsing).
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
});

const tagOf = (node) => Object.keys(node).find((k) => k !== ':@');
const childrenOf = (node) => {
  const tag = tagOf(node);
  const value = tag === undefined || tag === '#text' ? undefined : node[tag];
  return Array.isArray(value) ? value : [];
};
const textOf = (node) =>
  tagOf(node) === '#text' ? String(node['#text']) : childrenOf(node).map(textOf).join('');

function documentUris(xml) {
  if (/<!DOCTYPE/i.test(xml) || XMLValidator.validate(xml) !== true) throw new Error('not metadata');
  const uris = [];
  // Depth-first in document order, without recursion over the parsed tree.
  const pending = [...parser.parse(xml)].reverse();
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (tagOf(node) === 'Slot' && node[':@']?.name === 'URI') {
      // XDM allows a URI split over several values as `n|part`; a single value is the common case.
      const uri = childrenOf(node)
        .filter((n) => tagOf(n) === 'ValueList')
        .flatMap(childrenOf)
        .filter((n) => tagOf(n) === 'Value')
        .map((n) =>
          textOf(n)
            .trim()
            .replace(/^\d+\|/, ''),
        )
        .join('');
      if (uri !== '') uris.push(uri);
      continue;
    }
    pending.push(...childrenOf(node).reverse());
  }
  return uris;
}

parentPort.on('message', ({ id, xml }) => {
  try {
    parentPort.postMessage({ id, uris: documentUris(xml) });
  } catch {
    parentPort.postMessage({ id, error: 'invalid' });
  }
});
