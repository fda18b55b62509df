import type { Kysely } from 'kysely';

/**
 * The SMART scopes of each connection, kept exactly as the app asked for them: a grant used to
 * keep only its purposes, and its tokens carried each purpose's v1 scopes, so `patient/Observation.c` came back
 * widened to `patient/Observation.write`. Earlier grants get the scopes their tokens already carried (the purposes'
 * v1 scopes as they stood then, copied here so that this migration never changes meaning).
 */
const purposeScopesAtTheTime: Readonly<Record<string, readonly string[]>> = {
  'read-documents': ['patient/DocumentReference.read'],
  'read-profile': [
    'patient/AllergyIntolerance.read',
    'patient/Condition.read',
    'patient/MedicationStatement.read',
    'patient/Immunization.read',
  ],
  'read-measurements': ['patient/Observation.read'],
  'write-measurements': ['patient/Observation.write'],
  'read-agenda': ['patient/Appointment.read'],
  'write-agenda': ['patient/Appointment.write'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('app_grants')
    .addColumn('data_scopes', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const grants = db as unknown as Kysely<{
    app_grants: { patient_id: string; id: string; purposes: string; data_scopes: string };
  }>;
  const rows = await grants.selectFrom('app_grants').select(['patient_id', 'id', 'purposes']).execute();
  for (const row of rows) {
    const codes = JSON.parse(row.purposes) as string[];
    // In the catalogue's order, as the tokens listed them.
    const scopes = Object.entries(purposeScopesAtTheTime)
      .filter(([code]) => codes.includes(code))
      .flatMap(([, purposeScopes]) => purposeScopes);
    await grants
      .updateTable('app_grants')
      .set({ data_scopes: scopes.join(' ') })
      .where('patient_id', '=', row.patient_id)
      .where('id', '=', row.id)
      .execute();
  }
}
