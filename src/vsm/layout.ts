import type { VsmSectionKey } from './model.ts';

export const LOINC_OID = '2.16.840.1.113883.6.1';

/**
 * The body of the ANS model VSM 2023.01 (structure of the example VSM_1.4_2022.01.xml, section codes and templateIds
 * copied from it), at its most structured level: every sub-section of "Pathologies, antécédents et allergies" and of
 * "Facteurs de risque" is always written (the ANS rules forbid a text beside them then), each with its entries. Two
 * choices of Carnet's, which the ANS model lacks: "Principales constantes" (IHE vital signs, coded when an item is a
 * vital sign) which the Assurance Maladie's brochure asks for, and the therapeutic project as an IHE care plan
 * sub-section of the "plan de traitement" beside the treatments (that section may carry sub-sections or a text, not
 * both).
 */
export interface SectionSpec {
  readonly key: VsmSectionKey | undefined;
  readonly code: string;
  readonly display: string;
  readonly title: string;
  readonly templateIds: readonly string[];
  /** Always written, even when empty. */
  readonly required: boolean;
  readonly children: readonly SectionSpec[];
}

const leaf = (
  key: VsmSectionKey,
  code: string,
  display: string,
  title: string,
  templateIds: readonly string[],
  required = true,
): SectionSpec => ({ key, code, display, title, templateIds, required, children: [] });

export const vsmLayout: readonly SectionSpec[] = [
  {
    key: undefined,
    code: '46612-8',
    display: 'Conclusions de synthèse',
    title: 'Pathologies en cours, antécédents, allergies et facteurs de risque',
    templateIds: ['1.2.250.1.213.1.1.2.29'],
    required: true,
    children: [
      {
        key: undefined,
        code: '34117-2',
        display: 'Historique et physique',
        title: 'Pathologies en cours, antécédents et allergies',
        templateIds: ['1.2.250.1.213.1.1.2.30'],
        required: true,
        children: [
          leaf('activeProblems', '11450-4', 'Liste des problèmes actifs', 'Pathologies en cours', [
            '2.16.840.1.113883.10.20.1.11',
            '1.3.6.1.4.1.19376.1.5.3.1.3.6',
            '1.2.250.1.213.1.1.2.132',
          ]),
          leaf('personalHistory', '11348-0', 'Antécédents médicaux', 'Antécédents personnels', [
            '1.3.6.1.4.1.19376.1.5.3.1.3.8',
            '1.2.250.1.213.1.1.2.134',
          ]),
          leaf(
            'medicalHistory',
            '47519-4',
            'Historique des actes',
            'Historique médical (hospitalisations, interventions)',
            [
              '2.16.840.1.113883.10.20.1.12',
              '1.3.6.1.4.1.19376.1.5.3.1.3.11',
              '1.3.6.1.4.1.19376.1.5.3.1.3.12',
              '1.2.250.1.213.1.1.2.136',
            ],
          ),
          leaf('allergies', '48765-2', 'Allergies et hypersensibilités', 'Allergies et intolérances', [
            '2.16.840.1.113883.10.20.1.2',
            '1.3.6.1.4.1.19376.1.5.3.1.3.13',
            '1.2.250.1.213.1.1.2.137',
          ]),
        ],
      },
      {
        key: undefined,
        code: '57207-3',
        display: 'Facteurs de risque présents ou passés affectant l’état de santé et/ou une circonstance',
        title: 'Facteurs de risque',
        templateIds: ['1.2.250.1.213.1.1.2.31'],
        required: true,
        children: [
          leaf('riskFactors', '29762-2', 'Habitus, Mode de vie', 'Mode de vie', [
            '2.16.840.1.113883.10.20.1.15',
            '1.3.6.1.4.1.19376.1.5.3.1.3.16',
            '1.3.6.1.4.1.19376.1.5.3.1.3.16.1',
            '1.2.250.1.213.1.1.2.141',
          ]),
          leaf(
            'occupationalRisks',
            '10161-8',
            'Facteurs de risques professionnels',
            'Facteurs de risque professionnels',
            ['1.3.6.1.4.1.19376.1.5.3.1.1.5.3.1', '1.2.250.1.213.1.1.2.74'],
          ),
          leaf('familyHistory', '10157-6', 'Historique des pathologies familiales', 'Antécédents familiaux', [
            '2.16.840.1.113883.10.20.1.4',
            '1.3.6.1.4.1.19376.1.5.3.1.3.14',
            '1.3.6.1.4.1.19376.1.5.3.1.3.15',
            '1.2.250.1.213.1.1.2.139',
          ]),
        ],
      },
    ],
  },
  // Coded (IHE coded vital signs, 1.3.6.1.4.1.19376.1.5.3.1.1.5.3.2 added) when an item is a vital sign: body.ts.
  leaf(
    'vitalSigns',
    '8716-3',
    'Signes vitaux',
    'Principales constantes',
    ['2.16.840.1.113883.10.20.1.16', '1.3.6.1.4.1.19376.1.5.3.1.3.25'],
    false,
  ),
  leaf('vigilance', '30954-2', 'Résultats d’examens', 'Points de vigilance', [
    '1.3.6.1.4.1.19376.1.5.3.1.3.27',
    '1.2.250.1.213.1.1.2.150',
  ]),
  {
    key: undefined,
    code: '18776-5',
    display: 'Plan de traitement',
    title: 'Traitement au long cours et projet thérapeutique',
    templateIds: ['1.2.250.1.213.1.1.2.32'],
    required: true,
    children: [
      leaf('treatments', '10160-0', 'Traitements', 'Traitements au long cours', [
        '2.16.840.1.113883.10.20.1.8',
        '1.3.6.1.4.1.19376.1.5.3.1.3.19',
        '1.2.250.1.213.1.1.2.143',
      ]),
      leaf(
        'therapeuticProject',
        '18776-5',
        'Plan de traitement',
        'Projet thérapeutique',
        ['2.16.840.1.113883.10.20.1.10', '1.3.6.1.4.1.19376.1.5.3.1.3.31'],
        false,
      ),
    ],
  },
];

/** The IHE coded vital signs section's own templateId (its parents are in the layout). */
export const CODED_VITAL_SIGNS_TEMPLATE = '1.3.6.1.4.1.19376.1.5.3.1.1.5.3.2';
/** The IHE coded social and family history templates, which demand at least one entry. */
export const CODED_SOCIAL_HISTORY_TEMPLATE = '1.3.6.1.4.1.19376.1.5.3.1.3.16.1';
export const CODED_FAMILY_HISTORY_TEMPLATE = '1.3.6.1.4.1.19376.1.5.3.1.3.15';

const flatten = (specs: readonly SectionSpec[]): SectionSpec[] =>
  specs.flatMap((s) => [s, ...flatten(s.children)]);

/**
 * Section LOINC code → the model's section (containers without their own content are absent). 18776-5 is the
 * therapeutic project: Carnet's care plan sub-section, or the text of the "plan de traitement" of older VSMs.
 */
export const sectionKeyByCode: ReadonlyMap<string, VsmSectionKey> = new Map(
  flatten(vsmLayout).flatMap((s) => (s.key ? [[s.code, s.key] as const] : [])),
);
