/**
 * `POST /fhir/Observation`: a measurement pushed into the patient's profile by a connected app (or the patient's
 * own software). Only the vital-signs shapes the profile knows are accepted: LOINC code of a measurement kind,
 * its UCUM unit, an instant; blood pressure as systolic/diastolic components.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { PatientId } from '../identity/index.ts';
import {
  addProfileEntry,
  DIASTOLIC_LOINC,
  measurementKinds,
  SYSTOLIC_LOINC,
  type MeasurementKindInfo,
} from '../medical-profile/index.ts';
import type { FhirCall } from './call.ts';
import { arrayAt, expectResourceType, isObject, objectAt, unprocessable, type Json } from './fhir-input.ts';
import { patientById } from './patient-reference.ts';
import { LOINC, profileEntryToFhir } from './profile-resources.ts';

const codesOf = (concept: Json, path: string): string[] =>
  arrayAt(concept.coding ?? [], `${path}.coding`).flatMap((c) =>
    isObject(c) && c.system === LOINC && typeof c.code === 'string' ? [c.code] : [],
  );

function quantityIn(info: MeasurementKindInfo, value: unknown, path: string): number {
  const quantity = objectAt(value, path);
  if (typeof quantity.value !== 'number' || !Number.isFinite(quantity.value)) {
    throw unprocessable('observation-value', 'La valeur de la mesure doit être un nombre.', `${path}.value`);
  }
  const unit = quantity.code ?? quantity.unit;
  if (unit !== info.unit) {
    throw unprocessable(
      'observation-unit',
      `${info.label} : l’unité attendue est « ${info.unit} » (UCUM).`,
      `${path}.code`,
    );
  }
  return quantity.value;
}

function componentValue(info: MeasurementKindInfo, observation: Json, loinc: string): number {
  const components = arrayAt(observation.component ?? [], 'Observation.component');
  const index = components.findIndex(
    (c) => isObject(c) && codesOf(objectAt(c.code, 'code'), 'code').includes(loinc),
  );
  if (index < 0) {
    throw unprocessable(
      'observation-component',
      `La tension artérielle porte deux composantes (LOINC ${SYSTOLIC_LOINC} et ${DIASTOLIC_LOINC}).`,
      'Observation.component',
    );
  }
  const path = `Observation.component[${index}].valueQuantity`;
  return quantityIn(info, (components[index] as Json).valueQuantity, path);
}

export async function createObservation(
  call: FhirCall,
  body: unknown,
): Promise<{ resource: Resource; location: string }> {
  const observation = objectAt(body, 'Observation');
  expectResourceType(observation, 'Observation', 'Observation.resourceType');
  const subject = objectAt(observation.subject, 'Observation.subject');
  const reference = typeof subject.reference === 'string' ? subject.reference : '';
  if (!reference.startsWith('Patient/')) {
    throw unprocessable(
      'observation-subject',
      'Indiquez le patient : subject.reference = Patient/<id>.',
      'Observation.subject',
    );
  }
  const patient = await patientById(call.ctx.db, reference.slice('Patient/'.length), 'Observation.subject');
  const codes = codesOf(objectAt(observation.code, 'Observation.code'), 'Observation.code');
  const info = Object.values(measurementKinds).find((k) => codes.includes(k.loinc));
  if (!info) {
    throw unprocessable(
      'observation-code',
      'Ce type de mesure (code LOINC) n’est pas une mesure du profil médical.',
      'Observation.code',
    );
  }
  const at = observation.effectiveDateTime;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
    throw unprocessable(
      'observation-date',
      'La date de la mesure est obligatoire (effectiveDateTime).',
      'Observation.effectiveDateTime',
    );
  }
  const data =
    info.kind === 'blood-pressure'
      ? {
          kind: info.kind,
          value: componentValue(info, observation, SYSTOLIC_LOINC),
          value2: componentValue(info, observation, DIASTOLIC_LOINC),
          unit: info.unit,
          at: new Date(at).toISOString(),
        }
      : {
          kind: info.kind,
          value: quantityIn(info, observation.valueQuantity, 'Observation.valueQuantity'),
          unit: info.unit,
          at: new Date(at).toISOString(),
        };
  const entry = await addProfileEntry(
    call.ctx,
    call.principal,
    patient.id as PatientId,
    'measurements',
    data,
  );
  const resource = profileEntryToFhir(entry);
  return { resource, location: `${call.fhirBase}/Observation/${entry.id}` };
}
