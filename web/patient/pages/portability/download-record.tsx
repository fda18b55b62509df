import { useId } from 'react';
import { personName } from '../../../shared/format.ts';
import type { Profile } from '../../types.ts';

interface DownloadRecordProps {
  /** The profile whose data is downloaded: one's own, or a child's one manages. */
  readonly profile: Profile;
  /** Whether it is the signed-in person's own profile (the wording follows). */
  readonly own: boolean;
  /** Heading level where the block sits: a card of its own (2) or inside another section (3). */
  readonly level?: 2 | 3;
}

/**
 * The right to portability: a PDF synthesis of the medical profile and an archive of the whole record. Plain
 * links, so the browser streams the files to disk and shows its own download progress.
 */
export function DownloadRecord({ profile, own, level = 2 }: DownloadRecordProps) {
  const titleId = useId();
  const base = `/api/patient/record/${encodeURIComponent(profile.id)}`;
  const Heading = level === 2 ? 'h2' : 'h3';
  const whose = own ? 'mes données' : `les données de ${personName(profile)}`;
  const content = (
    <>
      <Heading id={titleId}>Télécharger {whose}</Heading>
      <p className="hint">
        Une copie {own ? 'de votre' : 'du'} dossier pour la garder, l’imprimer ou la confier à un autre
        service (droit à la portabilité). Elle comprend aussi ce qui est masqué aux professionnels :
        conservez-la en lieu sûr.
      </p>
      <p>
        <a className="button-secondary" href={`${base}/profile/synthesis.pdf`} download>
          Synthèse du profil médical (PDF)
        </a>
      </p>
      <p className="hint">
        Traitements, allergies, antécédents, vaccinations, mesures avec leur évolution, contacts et volontés.
      </p>
      <p>
        <a className="button-secondary" href={`${base}/export.zip`} download>
          Tout le dossier médical (archive ZIP)
        </a>
      </p>
      <p className="hint">
        Les documents tels qu’ils ont été déposés, le profil médical et l’histoire de santé au format FHIR
        (bundle.json), et un fichier LISEZ-MOI (README.txt) qui explique le contenu.
      </p>
    </>
  );
  return level === 2 ? (
    <section className="card" aria-labelledby={titleId}>
      {content}
    </section>
  ) : (
    <div role="group" aria-labelledby={titleId}>
      {content}
    </div>
  );
}
