import { Page } from '../../shared/page.tsx';
import { Link } from '../../shared/router.ts';
import { appName } from '../types.ts';

export function NotFoundPage() {
  return (
    <Page title="Page introuvable" app={appName}>
      <p>Cette page n’existe pas ou a été déplacée.</p>
      <p>
        <Link href="/">Retour à l’accueil</Link>
      </p>
    </Page>
  );
}
