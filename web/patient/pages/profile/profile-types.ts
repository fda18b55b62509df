/**
 * The medical profile's JSON as the patient space and the portal receive it, inferred from its contracts
 * (src/http/contracts/profile-api.ts).
 */
import type { ProfileEntryView } from '../../../../src/http/contracts/profile-api.ts';

export type {
  MeasurementKindView,
  ProfileAnswer,
  ProfileCatalogue,
  ProfileEntryView,
  ProProfileAnswer,
  RefusedSection,
} from '../../../../src/http/contracts/profile-api.ts';

/** A point of a measurement chart. */
export interface MeasurementPoint {
  readonly at: string;
  readonly value: number;
  readonly value2?: number;
}

export const measurementPoints = (entries: readonly ProfileEntryView[], kind: string): MeasurementPoint[] =>
  entries
    .filter((e) => e.section === 'measurements' && e.data.kind === kind)
    .map((e) => ({
      at: String(e.data.at),
      value: Number(e.data.value),
      ...(typeof e.data.value2 === 'number' ? { value2: e.data.value2 } : {}),
    }))
    .sort((a, b) => a.at.localeCompare(b.at));
