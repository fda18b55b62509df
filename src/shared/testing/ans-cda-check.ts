import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

/**
 * Test support: the ANS's official CDA conformance schematrons (TestContenuCDA, beside the repository or at
 * CARNET_ANS_KIT: docs/cda.md, "The ANS kits the tests and scripts read"), run with Saxon-HE from Debian
 * (scripts/ensure-system-deps.sh installs it) as the kit's own check runs them — the volet's schematron, then the
 * IHE and ANS profiles —, but all of them on a whole batch of documents in one JVM (a driver stylesheet calls each
 * through fn:transform, which Saxon-HE has), compiled by the JVM's first JIT tier only: the checks take a few seconds,
 * the optimising tier would start paying off long after (4 schematrons, one document: 12 s as one JVM per
 * schematron, 2.5 s so).
 */
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ansKitDir =
  process.env.CARNET_ANS_KIT ?? path.resolve(repositoryRoot, '../shared/data/ans-testcontenucda');
const SAXON_JAR = '/usr/share/java/Saxon-HE.jar';

/** The schematrons of a volet, with the IHE and ANS profiles the ANS tool always adds. */
export const schematronsFor = (volet: string): readonly string[] => [
  volet,
  'profils/IHE',
  'profils/CI-SIS_Modeles_ANS',
];

export interface FailedAssertion {
  readonly schematron: string;
  readonly location: string;
  readonly text: string;
}

/** Runs each `run` of the job (a schematron on a document) and writes its SVRL report where the run says. */
const driver = `<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/">
    <xsl:for-each select="job/run">
      <xsl:result-document href="{@out}">
        <xsl:sequence select="transform(map{'stylesheet-location': string(@xsl), 'source-node': doc(@doc)})?output"/>
      </xsl:result-document>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
`;
const attribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const run = promisify(execFile);
const svrl = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  isArray: (name) => name === 'failed-assert',
});

/**
 * Runs `schematrons` (names as `ans-cda-check --list` gives them) on each document and returns, per document name,
 * every failed assertion (an empty list when the document conforms). Throws when the kit or Java is missing, so a
 * test cannot pass without having checked anything.
 */
export async function ansCdaCheck(
  documents: Readonly<Record<string, string>>,
  schematrons: readonly string[],
): Promise<Record<string, FailedAssertion[]>> {
  if (!existsSync(ansKitDir)) throw new Error(`ANS conformance kit not found at ${ansKitDir}`);
  if (!existsSync(SAXON_JAR)) throw new Error(`${SAXON_JAR} missing: run scripts/ensure-system-deps.sh`);
  const work = await mkdtemp(path.join(tmpdir(), 'carnet-ans-'));
  try {
    const input = path.join(work, 'in');
    await mkdir(input);
    const names = Object.keys(documents);
    const fileOf = (name: string) => `${names.indexOf(name)}.xml`;
    for (const name of names) await writeFile(path.join(input, fileOf(name)), documents[name]!, 'utf8');
    const result: Record<string, FailedAssertion[]> = Object.fromEntries(names.map((n) => [n, []]));
    const url = (file: string) => pathToFileURL(file).href;
    const reportOf = (schematron: string, name: string) =>
      path.join(work, `out-${schematrons.indexOf(schematron)}`, fileOf(name));
    const runs: string[] = [];
    for (const schematron of schematrons) {
      const xsl = path.join(ansKitDir, 'schematrons', `${schematron}.xsl`);
      if (!existsSync(xsl)) throw new Error(`no schematron ${schematron} in ${ansKitDir}`);
      for (const name of names)
        runs.push(
          `<run xsl="${attribute(url(xsl))}" doc="${attribute(url(path.join(input, fileOf(name))))}" out="${attribute(url(reportOf(schematron, name)))}"/>`,
        );
    }
    await writeFile(path.join(work, 'job.xml'), `<job>${runs.join('')}</job>`, 'utf8');
    await writeFile(path.join(work, 'driver.xsl'), driver, 'utf8');
    await run(
      'java',
      [
        '-XX:TieredStopAtLevel=1',
        '-cp',
        SAXON_JAR,
        'net.sf.saxon.Transform',
        `-s:${path.join(work, 'job.xml')}`,
        `-xsl:${path.join(work, 'driver.xsl')}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    for (const schematron of schematrons) {
      for (const name of names) {
        const report = svrl.parse(await readFile(reportOf(schematron, name), 'utf8')) as {
          'schematron-output'?: {
            'failed-assert'?: { location: string; text: string | { '#text': string } }[];
          };
        };
        for (const failure of report['schematron-output']?.['failed-assert'] ?? []) {
          const text = typeof failure.text === 'string' ? failure.text : failure.text['#text'];
          result[name]!.push({
            schematron,
            location: failure.location,
            text: text.replace(/\s+/g, ' ').trim(),
          });
        }
      }
    }
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
