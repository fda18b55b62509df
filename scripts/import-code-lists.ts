/**
 * Turns the code lists of the ANS conformance kit (SKOS RDF, notations only) into the sorted one-code-per-line files
 * of src/terminology/code-lists/, the lists Carnet checks clinical codes against (CIM-10, CCAM, ATC, EDQM):
 *
 *   npx tsx scripts/import-code-lists.ts [terminologyDir]
 *
 * terminologyDir defaults to the kit's terminology folder beside the checkout (docs/cda.md, "The ANS kits the tests
 * and scripts read"): the lists the ANS schematrons themselves use, so a code Carnet accepts is a code the
 * conformance tool accepts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.resolve(
  process.argv[2] ??
    path.join(root, '../shared/data/ans-testcontenucda/schematrons/profils/terminologies/terminologie'),
);
const outDir = path.join(root, 'src/terminology/code-lists');

/** File name → source RDF and the shape of a usable code (the RDF also lists chapters and CCAM activity/phase rows). */
const lists = {
  'cim-10': { rdf: '2.16.840.1.113883.6.3.rdf', shape: /^[A-Z]\d\d(\.\d{1,3})?[+*]?$/ },
  ccam: { rdf: '1.2.250.1.213.2.5.rdf', shape: /^[A-Z]{4}\d{3}$/ },
  atc: { rdf: '2.16.840.1.113883.6.73.rdf', shape: /^[A-Z](\d\d([A-Z]([A-Z](\d\d)?)?)?)?$/ },
  edqm: { rdf: '0.4.0.127.0.16.1.1.2.1.rdf', shape: /^\d{8}$/ },
} as const;

for (const [name, { rdf, shape }] of Object.entries(lists)) {
  const text = readFileSync(path.join(sourceDir, rdf), 'utf8');
  const codes = new Set<string>();
  for (const match of text.matchAll(/<skos:notation>([^<]*)<\/skos:notation>/g)) {
    const code = match[1]!.trim();
    if (shape.test(code)) codes.add(code);
  }
  const sorted = [...codes].sort();
  writeFileSync(path.join(outDir, `${name}.txt`), `${sorted.join('\n')}\n`);
  console.log(`${name}: ${sorted.length} codes from ${rdf}`);
}
