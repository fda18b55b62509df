import type { ExplanationOfBenefit } from '@medplum/fhirtypes';
import { RPPS_SYSTEM } from '../identity/index.ts';
import type { CareCategory } from './feed/format.ts';
import type { CareItem } from './history.ts';

/**
 * Carnet's code system of "Mon histoire de santé" episode categories (docs/features.md, "Mon histoire de santé
 * (reimbursed care)").
 */
export const CARE_CATEGORY_SYSTEM = 'https://carnet.example.org/fhir/CodeSystem/care-category';
const CLAIM_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/claim-type';

/** The HL7 claim type closest to each category (required by ExplanationOfBenefit). */
const claimTypeOf: Record<CareCategory, string> = {
  maladie: 'professional',
  biologie: 'professional',
  radiologie: 'professional',
  vaccin: 'professional',
  appareillage: 'professional',
  medicament: 'pharmacy',
  dentaire: 'oral',
  hopital: 'institutional',
};

/** One reimbursed care line as a FHIR R4 ExplanationOfBenefit (what the insurer paid, for which care). */
export function careItemToExplanationOfBenefit(item: CareItem, patientId: string): ExplanationOfBenefit {
  const amount = { value: item.amountCents / 100, currency: 'EUR' as const };
  const category = { system: CARE_CATEGORY_SYSTEM, code: item.category, display: item.categoryLabel };
  return {
    resourceType: 'ExplanationOfBenefit',
    id: item.id,
    identifier: [{ system: 'urn:carnet:assurance-maladie:line-id', value: item.sourceRef }],
    status: 'active',
    type: { coding: [{ system: CLAIM_TYPE_SYSTEM, code: claimTypeOf[item.category] }] },
    subType: { coding: [category], text: item.categoryLabel },
    use: 'claim',
    patient: { reference: `Patient/${patientId}` },
    billablePeriod: { start: item.date, end: item.date },
    created: item.date,
    insurer: { display: 'Assurance Maladie' },
    provider: {
      display: item.professional,
      ...(item.rpps ? { identifier: { system: RPPS_SYSTEM, value: item.rpps } } : {}),
    },
    outcome: 'complete',
    insurance: [{ focal: true, coverage: { display: 'Assurance Maladie obligatoire' } }],
    item: [
      {
        sequence: 1,
        category: { coding: [category] },
        productOrService: { text: item.label },
        servicedDate: item.date,
        adjudication: [
          {
            category: {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adjudication', code: 'benefit' }],
            },
            amount,
          },
        ],
      },
    ],
    payment: { amount },
  };
}
