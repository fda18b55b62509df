/** The patient summary (IPS-FR) as a CDA file, made from what this professional may read of the record. */
export function PatientSummaryLink({ patientId }: { patientId: string }) {
  return (
    <a href={`/api/pro/patients/${encodeURIComponent(patientId)}/summary`} download>
      Synthèse patient (IPS-FR) · fichier CDA
    </a>
  );
}
