/**
 * Turns the ANS value sets (IHE SVS XML and FHIR ValueSet JSON) into the compact data files of
 * src/terminology/value-sets/, so that the data Carnet runs on can be rebuilt from the official files:
 *
 *   npx tsx scripts/import-value-sets.ts [svsDir] [fhirDir] && npx prettier --write src/terminology/value-sets
 *
 * svsDir defaults to the kit's jeuxDeValeurs folder beside the checkout (the 2024 SVS editions; docs/cda.md, "The
 * ANS kits the tests and scripts read") and fhirDir to src/terminology/sources (the newer editions, transcribed from
 * the terminology guide; see its README). Each output file names every edition it merges and where each came from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svsDir = path.resolve(
  process.argv[2] ?? path.join(root, '../shared/data/ans-testcontenucda/jeuxDeValeurs'),
);
const fhirDir = path.resolve(process.argv[3] ?? path.join(root, 'src/terminology/sources'));
const outDir = path.join(root, 'src/terminology/value-sets');

interface CodeSystemRow {
  name: string;
  canonical: string;
  oid?: string;
  aliases?: string[];
}
const codeSystems = (
  JSON.parse(readFileSync(path.join(root, 'src/terminology/code-systems.json'), 'utf8')) as {
    systems: CodeSystemRow[];
  }
).systems;
const spellings = new Map<string, string>();
for (const s of codeSystems) {
  for (const spelling of [s.canonical, ...(s.aliases ?? []), ...(s.oid ? [s.oid, `urn:oid:${s.oid}`] : [])])
    spellings.set(spelling, s.canonical);
}
function canonical(system: string, file: string): string {
  const found = spellings.get(system);
  if (!found) throw new Error(`${file}: code system ${system} is not in src/terminology/code-systems.json`);
  return found;
}

interface Edition {
  edition: string;
  version: string;
  sources: string[];
}
interface RawConcept {
  code: string;
  system: string;
  display: string | undefined;
}
interface ReadEdition {
  name: string;
  oid: string;
  url: string | undefined;
  version: string;
  concepts: RawConcept[];
}

const isoDay = (compact: string) => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;

function readSvs(file: string): ReadEdition {
  const full = path.join(svsDir, file);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true });
  const doc = parser.parse(readFileSync(full, 'utf8')) as {
    RetrieveValueSetResponse: {
      ValueSet: Record<string, string> & {
        ConceptList: { Concept: Record<string, string>[] | Record<string, string> };
      };
    };
  };
  const vs = doc.RetrieveValueSetResponse.ValueSet;
  const list = vs.ConceptList.Concept;
  const version = vs.dateMaj || (vs.revisionDate ?? '').replace(/\D/g, '').slice(0, 14);
  return {
    name: (vs.displayName ?? file).replace(/\.tabs$/, ''),
    oid: vs.id ?? '',
    url: vs.urlFichier || undefined,
    version,
    concepts: (Array.isArray(list) ? list : [list]).map((c) => ({
      code: c.code!,
      system: canonical(c.codeSystem!, file),
      display: c.displayName,
    })),
  };
}

function readFhir(file: string): ReadEdition {
  const vs = JSON.parse(readFileSync(path.join(fhirDir, file), 'utf8')) as {
    name: string;
    url: string;
    version: string;
    date: string;
    identifier?: { value: string }[];
    compose: { include: { system: string; concept: { code: string; display?: string }[] }[] };
  };
  const version = /^\d{14}$/.test(vs.version) ? vs.version : vs.date.replace(/\D/g, '').slice(0, 14);
  return {
    name: vs.name,
    oid: (vs.identifier?.[0]?.value ?? '').replace(/^urn:oid:/, ''),
    url: vs.url,
    version,
    concepts: vs.compose.include.flatMap((include) =>
      include.concept.map((c) => ({
        code: c.code,
        system: canonical(include.system, file),
        display: c.display,
      })),
    ),
  };
}

interface Plan {
  valueSet: string;
  file: string;
  svs?: string[];
  fhir?: string[];
}
const plans: Plan[] = [
  {
    valueSet: 'type',
    file: 'JDV_J07_XdsTypeCode_CISIS',
    svs: ['JDV_J07_XdsTypeCode_CISIS.xml'],
    fhir: ['JDV_J07_XdsTypeCode_CISIS.json'],
  },
  { valueSet: 'class', file: 'JDV_J06_XdsClassCode_CISIS', fhir: ['JDV_J06_XdsClassCode_CISIS.json'] },
  { valueSet: 'format', file: 'JDV_J10_XdsFormatCode_CISIS', fhir: ['JDV_J10_XdsFormatCode_CISIS.json'] },
  {
    valueSet: 'facility',
    file: 'JDV_J02_XdsHealthcareFacilityTypeCode_CISIS',
    svs: ['JDV_J02_XdsHealthcareFacilityTypeCode_CISIS.xml'],
    fhir: ['JDV_J02_XdsHealthcareFacilityTypeCode_CISIS.json'],
  },
  {
    valueSet: 'practiceSetting',
    file: 'JDV_J04_XdsPracticeSettingCode_CISIS',
    svs: ['JDV_J04_XdsPracticeSettingCode_CISIS.xml'],
    fhir: ['JDV_J04_XdsPracticeSettingCode_CISIS.json'],
  },
  {
    valueSet: 'authorSpecialty',
    file: 'JDV_J01_XdsAuthorSpecialty_CISIS',
    svs: ['JDV_J01_XdsAuthorSpecialty_CISIS.xml'],
    fhir: ['JDV_J01_XdsAuthorSpecialty_CISIS.json'],
  },
  {
    valueSet: 'confidentiality',
    file: 'JDV_J08_XdsConfidentialityCode_CISIS',
    svs: ['JDV_J08_XdsConfidentialityCode_CISIS.xml'],
  },
  {
    valueSet: 'cdaConfidentiality',
    file: 'JDV_HL7_Confidentiality_CISIS',
    svs: ['JDV_HL7_Confidentiality_CISIS.xml'],
  },
];

const svsSource = (file: string) => `ans-testcontenucda/jeuxDeValeurs/${file} (IHE SVS, TestContenuCDA-3-0)`;
const fhirSource = (file: string) =>
  `src/terminology/sources/${file} (FHIR ValueSet, see that folder's README)`;

for (const plan of plans) {
  const read = [
    ...(plan.svs ?? []).map((f) => ({ edition: readSvs(f), source: svsSource(f) })),
    ...(plan.fhir ?? []).map((f) => ({ edition: readFhir(f), source: fhirSource(f) })),
  ].sort((a, b) => a.edition.version.localeCompare(b.edition.version));
  const editions: Edition[] = [];
  const concepts = new Map<
    string,
    { code: string; system: string; display: string | undefined; editions: string[] }
  >();
  for (const { edition, source } of read) {
    const day = isoDay(edition.version);
    const known = editions.find((e) => e.edition === day);
    if (known) known.sources.push(source);
    else editions.push({ edition: day, version: edition.version, sources: [source] });
    for (const c of edition.concepts) {
      const key = `${c.system}|${c.code}`;
      const entry = concepts.get(key) ?? { code: c.code, system: c.system, display: undefined, editions: [] };
      // The newest edition's label wins; an edition without one keeps the older label.
      entry.display = c.display ?? entry.display;
      if (!entry.editions.includes(day)) entry.editions.push(day);
      concepts.set(key, entry);
    }
  }
  const newest = read.at(-1)!.edition;
  const out = {
    valueSet: plan.valueSet,
    name: newest.name,
    oid: newest.oid,
    url:
      read.map((r) => r.edition.url).find((u) => u?.includes('/FHIR/')) ??
      read.find((r) => r.edition.url)?.edition.url ??
      `urn:oid:${newest.oid}`,
    editions,
    concepts: [...concepts.values()].map((c) => ({
      code: c.code,
      system: c.system,
      ...(c.display !== undefined ? { display: c.display } : {}),
      editions: c.editions,
    })),
  };
  writeFileSync(path.join(outDir, `${plan.file}.json`), `${JSON.stringify(out, null, 1)}\n`);
  console.log(
    `${plan.file}: ${out.concepts.length} concepts, editions ${editions.map((e) => e.edition).join(', ')}`,
  );
}

// ASS_X04: the ANS correspondence from a document type to its class.
const x04 = JSON.parse(
  readFileSync(path.join(fhirDir, 'ASS_X04-CorrespondanceType-Classe-CISIS.json'), 'utf8'),
) as {
  id: string;
  displayName: string;
  dateMaj: string;
  urlFichier: string;
  mappings: { type: { code: string; codeSystem: string }; class: { code: string; codeSystem: string } }[];
};
const correspondence = {
  name: x04.displayName,
  oid: x04.id,
  url: x04.urlFichier,
  editions: [
    {
      edition: isoDay(x04.dateMaj),
      version: x04.dateMaj,
      sources: [fhirSource('ASS_X04-CorrespondanceType-Classe-CISIS.json')],
    },
  ],
  mappings: x04.mappings.map((m) => ({
    code: m.type.code,
    system: canonical(m.type.codeSystem, 'ASS_X04'),
    class: m.class.code,
    classSystem: canonical(m.class.codeSystem, 'ASS_X04'),
  })),
};
writeFileSync(
  path.join(outDir, 'ASS_X04-CorrespondanceType-Classe-CISIS.json'),
  `${JSON.stringify(correspondence, null, 1)}\n`,
);
console.log(`ASS_X04: ${correspondence.mappings.length} type → class rows`);
