import { Page } from '../../shared/page.tsx';
import { Link } from '../../shared/router.ts';
import type { SignedInProps } from '../app.tsx';
import type { Profile } from '../types.ts';
import { appName } from '../types.ts';
import { ProfileSwitcher } from './profile-switcher.tsx';

export interface Feature {
  readonly path: string;
  readonly title: string;
  readonly summary: string;
  /** Built in Carnet: its card leads to the real pages. */
  readonly ready?: boolean;
}

/** The four features of Mon espace santé (the brochure), entry points of the home. */
export const features: readonly Feature[] = [
  {
    path: '/dossier-medical',
    title: 'Dossier médical',
    summary:
      'Vos documents de santé, votre profil médical, vos vaccinations et la synthèse de votre médecin.',
    ready: true,
  },
  {
    path: '/messagerie',
    title: 'Messagerie',
    summary: 'Les messages sécurisés de vos professionnels de santé, auxquels vous pouvez répondre.',
    ready: true,
  },
  {
    path: '/catalogue',
    title: 'Catalogue de services',
    summary: 'Des applications de santé référencées pour leur fiabilité et leur pertinence.',
    ready: true,
  },
  {
    path: '/agenda',
    title: 'Agenda',
    summary: 'Vos rendez-vous médicaux et vos rappels de dépistage et de vaccination.',
    ready: true,
  },
];

export function MssanteAddress({ profile }: { profile: Profile }) {
  // A line break, if any, falls before the domain rather than inside it.
  const [local, domain] = profile.mssanteAddress.split('@');
  return (
    <p>
      Adresse de messagerie sécurisée :{' '}
      <span className="address">
        {local}
        <wbr />@{domain}
      </span>
    </p>
  );
}

/** A feature's own page; none is built yet, and the page says so plainly. */
export function FeaturePage({ feature, ...props }: SignedInProps & { feature: Feature }) {
  return (
    <Page title={feature.title} app={appName}>
      <ProfileSwitcher {...props} />
      <p>{feature.summary}</p>
      <p>
        <span className="badge badge-soon">Bientôt disponible</span> Ce service n’est pas encore ouvert dans
        Carnet.
      </p>
      <Link href="/accueil">Retour à l’accueil</Link>
    </Page>
  );
}
