import { Link } from '../../../shared/router.ts';
import type { Profile } from '../../types.ts';

/** The record API of the profile on screen (one's own, or a child's). */
export const recordApi = (profile: Profile, rest: string): string =>
  `/api/patient/record/${encodeURIComponent(profile.id)}${rest}`;

const sections = [
  { href: '/dossier-medical', label: 'Mes documents' },
  { href: '/dossier-medical/profil', label: 'Mon profil médical' },
  { href: '/dossier-medical/histoire-de-sante', label: 'Mon histoire de santé' },
  { href: '/dossier-medical/acces', label: 'Qui peut voir mon dossier' },
  { href: '/dossier-medical/historique', label: 'Historique des accès' },
] as const;

export function RecordNav({ current }: { current: string }) {
  return (
    <nav className="sub-nav" aria-label="Dossier médical">
      <ul>
        {sections.map((s) => (
          <li key={s.href}>
            <Link href={s.href} aria-current={s.href === current ? 'page' : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
