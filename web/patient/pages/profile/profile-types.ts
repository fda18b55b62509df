/** The medical profile's JSON as the patient space and the portal receive it (src/http/routes/profile-api.ts). */
export interface ProfileEntryView {
  readonly id: string;
  readonly section: string;
  readonly data: Record<string, unknown>;
  readonly source: 'patient' | 'insurer' | 'app';
  readonly sourceName: string | null;
  readonly recordedAt: string;
  readonly updatedAt: string;
  readonly summary: string;
}

export interface MeasurementKindView {
  readonly kind: string;
  readonly label: string;
  readonly unit: string;
  readonly unitLabel: string;
  readonly min: number;
  readonly max: number;
  readonly decimals: number;
}

export interface ProfileCatalogue {
  readonly sections: readonly { section: string; label: string }[];
  readonly areaLabels: Record<string, string>;
  readonly vaccines: readonly { code: string; label: string }[];
  readonly measurementKinds: readonly MeasurementKindView[];
  readonly allergyCategories: Record<string, string>;
  readonly allergySeverities: Record<string, string>;
  readonly familyRelations: Record<string, string>;
  readonly lifestyleTopics: Record<string, string>;
  readonly contactRoles: Record<string, string>;
  readonly organDonation: Record<string, string>;
}

export interface RefusedSection {
  readonly section: string;
  readonly reason: string;
  readonly label: string;
  readonly message: string;
}

export interface ProfileAnswer {
  readonly entries: readonly ProfileEntryView[];
  readonly masked: readonly string[];
  readonly refused: readonly RefusedSection[];
  readonly catalogue: ProfileCatalogue;
}

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
