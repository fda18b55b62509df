/**
 * The measurements a patient records, each with its LOINC code and UCUM unit (FHIR vital-signs profile where it
 * applies) and the range outside which a value is surely a typing error, not a reading.
 */
export const measurementKindCodes = [
  'weight',
  'height',
  'bmi',
  'waist',
  'temperature',
  'glucose',
  'blood-pressure',
  'pain',
  'heart-rate',
  'head-circumference',
  'steps',
  'hba1c',
] as const;
export type MeasurementKind = (typeof measurementKindCodes)[number];

export interface MeasurementKindInfo {
  kind: MeasurementKind;
  label: string;
  loinc: string;
  loincDisplay: string;
  /** UCUM code. */
  unit: string;
  /** What the patient reads beside the value. */
  unitLabel: string;
  min: number;
  max: number;
  /** Decimals shown and accepted. */
  decimals: number;
  /** FHIR Observation category: vital-signs or laboratory or activity. */
  category: 'vital-signs' | 'laboratory' | 'activity' | 'survey';
}

export const measurementKinds: Record<MeasurementKind, MeasurementKindInfo> = {
  weight: {
    kind: 'weight',
    label: 'Poids',
    loinc: '29463-7',
    loincDisplay: 'Body weight',
    unit: 'kg',
    unitLabel: 'kg',
    min: 0.3,
    max: 500,
    decimals: 1,
    category: 'vital-signs',
  },
  height: {
    kind: 'height',
    label: 'Taille',
    loinc: '8302-2',
    loincDisplay: 'Body height',
    unit: 'cm',
    unitLabel: 'cm',
    min: 20,
    max: 260,
    decimals: 1,
    category: 'vital-signs',
  },
  bmi: {
    kind: 'bmi',
    label: 'Indice de masse corporelle (IMC)',
    loinc: '39156-5',
    loincDisplay: 'Body mass index (BMI) [Ratio]',
    unit: 'kg/m2',
    unitLabel: 'kg/m²',
    min: 5,
    max: 100,
    decimals: 1,
    category: 'vital-signs',
  },
  waist: {
    kind: 'waist',
    label: 'Tour de taille',
    loinc: '8280-0',
    loincDisplay: 'Waist Circumference at umbilicus by Tape measure',
    unit: 'cm',
    unitLabel: 'cm',
    min: 20,
    max: 300,
    decimals: 1,
    category: 'vital-signs',
  },
  temperature: {
    kind: 'temperature',
    label: 'Température',
    loinc: '8310-5',
    loincDisplay: 'Body temperature',
    unit: 'Cel',
    unitLabel: '°C',
    min: 30,
    max: 45,
    decimals: 1,
    category: 'vital-signs',
  },
  glucose: {
    kind: 'glucose',
    label: 'Glycémie',
    loinc: '2339-0',
    loincDisplay: 'Glucose [Mass/volume] in Blood',
    unit: 'g/L',
    unitLabel: 'g/L',
    min: 0.1,
    max: 10,
    decimals: 2,
    category: 'laboratory',
  },
  'blood-pressure': {
    kind: 'blood-pressure',
    label: 'Tension artérielle',
    loinc: '85354-9',
    loincDisplay: 'Blood pressure panel with all children optional',
    unit: 'mm[Hg]',
    unitLabel: 'mmHg',
    min: 30,
    max: 300,
    decimals: 0,
    category: 'vital-signs',
  },
  pain: {
    kind: 'pain',
    label: 'Douleur (0 à 10)',
    loinc: '72514-3',
    loincDisplay: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
    unit: '{score}',
    unitLabel: '/ 10',
    min: 0,
    max: 10,
    decimals: 0,
    category: 'survey',
  },
  'heart-rate': {
    kind: 'heart-rate',
    label: 'Fréquence cardiaque',
    loinc: '8867-4',
    loincDisplay: 'Heart rate',
    unit: '/min',
    unitLabel: 'battements/min',
    min: 20,
    max: 250,
    decimals: 0,
    category: 'vital-signs',
  },
  'head-circumference': {
    kind: 'head-circumference',
    label: 'Périmètre crânien',
    loinc: '9843-4',
    loincDisplay: 'Head Occipital-frontal circumference',
    unit: 'cm',
    unitLabel: 'cm',
    min: 20,
    max: 70,
    decimals: 1,
    category: 'vital-signs',
  },
  steps: {
    kind: 'steps',
    label: 'Nombre de pas',
    loinc: '55423-8',
    loincDisplay: 'Number of steps in unspecified time Pedometer',
    unit: '{steps}',
    unitLabel: 'pas',
    min: 0,
    max: 100000,
    decimals: 0,
    category: 'activity',
  },
  hba1c: {
    kind: 'hba1c',
    label: 'Hémoglobine glyquée (HbA1c)',
    loinc: '4548-4',
    loincDisplay: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    unitLabel: '%',
    min: 2,
    max: 20,
    decimals: 1,
    category: 'laboratory',
  },
};

/** LOINC of the two blood pressure components (FHIR vital-signs BP profile). */
export const SYSTOLIC_LOINC = '8480-6';
export const DIASTOLIC_LOINC = '8462-4';

export const isMeasurementKind = (value: unknown): value is MeasurementKind =>
  typeof value === 'string' && (measurementKindCodes as readonly string[]).includes(value);
