export type { Brand } from './brand.ts';
export { fixedClock, systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
export {
  CarnetError,
  conflict,
  forbidden,
  invalid,
  normalizeError,
  notFound,
  rateLimited,
  toJsonError,
  toOperationOutcome,
  unauthenticated,
} from './errors.ts';
export { frenchLongDay } from './french-date.ts';
export { randomToken, uuidv7 } from './ids.ts';
export { certificateDomains, isCertifiedSender, isOperatorAddress } from './operator-domains.ts';
export { addDays, isDay, isInstant, parisDay, parisInstant } from './paris-time.ts';
export { tokenError, tokenExpired, tokenInvalid, tokenMissing } from './token-errors.ts';
