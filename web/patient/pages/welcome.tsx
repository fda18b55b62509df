import { Page } from '../../shared/page.tsx';
import { Notice } from '../../shared/form.tsx';
import { Link, useRoute } from '../../shared/router.ts';
import { appName } from '../types.ts';

/** The public home: what the service is, and the three ways in. */
export function WelcomePage() {
  const { query } = useRoute();
  return (
    <Page title="Bienvenue sur Mon espace santé" app={appName}>
      {query.has('cloture') && <Notice>Votre profil a été clôturé. Vous avez été déconnecté.</Notice>}
      <p className="lead">
        Mon espace santé est votre carnet de santé numérique, créé pour chaque assuré de l’Assurance Maladie.
        Il vous permet de stocker et de partager vos documents et données de santé en toute confidentialité.
      </p>
      <ul className="grid">
        <li className="card">
          <h2>Dossier médical</h2>
          <p>Vos documents de santé, votre profil médical et la synthèse de votre médecin traitant.</p>
        </li>
        <li className="card">
          <h2>Messagerie de santé</h2>
          <p>Échangez de façon sécurisée avec les professionnels de santé qui vous suivent.</p>
        </li>
        <li className="card">
          <h2>Catalogue de services</h2>
          <p>Des applications de santé sélectionnées pour leur fiabilité et leur pertinence.</p>
        </li>
        <li className="card">
          <h2>Agenda</h2>
          <p>Vos rendez-vous médicaux et vos rappels de dépistage et de vaccination.</p>
        </li>
      </ul>
      <div className="card">
        <h2>Première visite ?</h2>
        <p>
          Munissez-vous de votre carte Vitale et du code provisoire reçu par courrier ou par e-mail de
          l’Assurance Maladie.
        </p>
        <div className="actions">
          <Link className="button" href="/activation">
            Activer mon profil
          </Link>
          <Link className="button-secondary" href="/connexion">
            Se connecter
          </Link>
        </div>
      </div>
      <div className="card">
        <h2>Vous ne souhaitez pas de profil ?</h2>
        <p>
          Tant que votre profil n’est pas activé, vous pouvez vous opposer à sa création. Une attestation vous
          est remise.
        </p>
        <Link href="/opposition">Je m’oppose à la création de mon profil</Link>
      </div>
    </Page>
  );
}
