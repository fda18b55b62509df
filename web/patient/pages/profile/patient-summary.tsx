import { useId } from 'react';
import type { Profile } from '../../types.ts';
import { recordApi } from '../record/record-nav.tsx';

/**
 * The international patient summary (IPS-FR): the CDA document Carnet makes from the profile, the latest volet de
 * synthèse médicale and the vaccinations, to hand to a doctor here or abroad (MyHealth@EU). A plain link, so the
 * browser saves the file.
 */
export function PatientSummary({ profile, own }: { profile: Profile; own: boolean }) {
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Synthèse médicale internationale</h2>
      <p className="hint">
        Un résumé de {own ? 'votre' : 'son'} état de santé au format européen « Patient Summary » (IPS-FR) :
        problèmes de santé, allergies, traitements, vaccinations et dernières mesures, lisible par un médecin
        en France comme à l’étranger. C’est un fichier pour le logiciel du médecin (format CDA, XML) : il ne
        s’affichera pas forcément sur un téléphone ou un ordinateur, transmettez-le à {own ? 'votre' : 'son'}{' '}
        médecin.
      </p>
      <p>
        <a className="button-secondary" href={recordApi(profile, '/summary')} download>
          {own ? 'Télécharger ma synthèse médicale (IPS)' : 'Télécharger sa synthèse médicale (IPS)'}
        </a>
      </p>
    </section>
  );
}
