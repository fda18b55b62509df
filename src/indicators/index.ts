/** The professional's Mon espace santé indicators (DMP, MSSanté, VSM for patients in ALD), per month. */
export type { AldPeriod, Consultation, Deposit, IndicatorFacts, Message, MonthIndicators } from './rules.ts';
export {
  computeIndicators,
  consultationNatures,
  DEPOSIT_THRESHOLD,
  FOLLOW_UP_DAYS,
  indicatorDefinitions,
  MESSAGE_THRESHOLD,
} from './rules.ts';
export type { ProfessionalIndicators } from './indicators.ts';
export { MAX_MONTHS, professionalIndicators } from './indicators.ts';
