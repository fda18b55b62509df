import type { LifestyleTopic } from './types.ts';

/**
 * What a lifestyle topic observes, in LOINC (JDV_SocialHistoryCodes_CISIS, the ANS's value set for lifestyle
 * observations): Carnet's choice, since the patient picks a topic, not a code. Sleep and "other" have no code there.
 */
export const lifestyleTopicCodes: Partial<
  Record<LifestyleTopic, { readonly code: string; readonly display: string }>
> = {
  tobacco: { code: '72166-2', display: 'Statut tabagique' },
  alcohol: { code: '74013-4', display: 'Consommation d’alcool' },
  'physical-activity': { code: '73985-4', display: 'Exercice physique' },
  diet: { code: '81663-7', display: 'Régime' },
};
