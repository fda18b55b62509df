import { Page } from '../../shared/page.tsx';
import { appName } from '../types.ts';

/** The portal is reserved to professionals authenticated by Pro Santé Connect (carte CPS or e-CPS). */
export function SignInPage() {
  return (
    <Page title="Connexion au portail professionnel" app={appName}>
      <p className="lead">
        Accédez au dossier médical partagé de vos patients avec votre carte CPS ou votre application e-CPS.
      </p>
      <div className="card">
        <h2>Professionnel de santé</h2>
        <p>L’authentification est assurée par Pro Santé Connect.</p>
        <a className="button" href="/auth/pro/login">
          Se connecter avec Pro Santé Connect
        </a>
      </div>
    </Page>
  );
}
