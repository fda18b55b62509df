/**
 * The prevention engine: vaccination calendar and organised screenings as versioned data (docs/features.md,
 * "Prevention rules").
 */
export {
  evaluatePrevention,
  type PreventionDecisionStatus,
  type PreventionInput,
  type PreventionItem,
  type PreventionStatus,
  type PreventionUrgency,
  SOON_MONTHS,
} from './engine.ts';
export {
  activeRules,
  parsePreventionRules,
  type PreventionRule,
  type PreventionRules,
  type PreventionSchedule,
} from './rules.ts';
export { addAge, addMonths } from './dates.ts';
