/** Tables of the patient's medical profile (src/medical-profile). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MedicalProfileTables {}
