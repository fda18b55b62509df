import type { AppContext } from '../app/index.ts';
import { decideServiceStatus, findService, referenceService, type StatusDecision } from './services.ts';

/** Client id of the demo glucose-meter companion, the app the connection journey uses. */
export const GLUCOSUIVI_CLIENT_ID = 'glucosuivi-demo';
export const GLUCOSUIVI_SERVICE_ID = 'glucosuivi';
/** Where the demo app listens by default; the demo app and its tests may register others. */
export const GLUCOSUIVI_DEFAULT_REDIRECT_URIS = ['http://127.0.0.1:8090/callback'];

interface DemoEntry {
  readonly definition: Record<string, unknown>;
  /** A decision applied once, when the entry is first referenced, so the demo shows every status. */
  readonly then?: { readonly decision: StatusDecision; readonly reason: string };
}

/** Fictional services and editors (example.fr domains); store links point at fictional app ids. */
export function demoCatalogue(glucoSuiviRedirectUris: readonly string[]): readonly DemoEntry[] {
  return [
    {
      definition: {
        id: GLUCOSUIVI_SERVICE_ID,
        name: 'GlucoSuivi',
        editor: { name: 'Diabéto Connect SAS', url: 'https://www.diabeto-connect.example.fr' },
        summary:
          'Le compagnon de votre lecteur de glycémie : vos mesures arrivent dans votre profil médical.',
        description:
          'GlucoSuivi se connecte à votre lecteur de glycémie en Bluetooth et envoie chaque mesure dans votre profil médical de Mon espace santé. Vous retrouvez vos courbes dans l’application comme dans votre profil, et pouvez les montrer à votre médecin ou à votre infirmière.',
        category: 'maladies-chroniques',
        purposes: ['write-measurements', 'read-measurements'],
        dataExchanged: [
          'Glycémies capillaires (g/L), avec la date et l’heure de la mesure',
          'Mesures de glycémie déjà présentes dans votre profil médical',
        ],
        links: {
          web: 'https://www.glucosuivi.example.fr',
          appStore: 'https://apps.apple.com/fr/app/glucosuivi/id0000000001',
          googlePlay: 'https://play.google.com/store/apps/details?id=fr.example.glucosuivi',
          privacyPolicy: 'https://www.glucosuivi.example.fr/confidentialite',
        },
        oauth: {
          clientId: GLUCOSUIVI_CLIENT_ID,
          redirectUris: [...glucoSuiviRedirectUris],
          scopes: ['launch/patient', 'patient/Observation.read', 'patient/Observation.write'],
        },
      },
    },
    {
      definition: {
        id: 'tensio-carnet',
        name: 'TensioCarnet',
        editor: { name: 'Cardionum', url: 'https://www.cardionum.example.fr' },
        summary: 'Relevez votre tension artérielle à la maison et partagez la série avec votre médecin.',
        description:
          'TensioCarnet guide l’automesure tensionnelle selon la règle des trois (trois mesures le matin, trois le soir, trois jours de suite) et range les résultats dans votre profil médical.',
        category: 'maladies-chroniques',
        purposes: ['write-measurements', 'read-measurements'],
        dataExchanged: ['Pression artérielle systolique et diastolique (mmHg)', 'Fréquence cardiaque'],
        links: {
          web: 'https://www.tensiocarnet.example.fr',
          googlePlay: 'https://play.google.com/store/apps/details?id=fr.example.tensiocarnet',
        },
        oauth: {
          clientId: 'tensio-carnet',
          redirectUris: ['https://www.tensiocarnet.example.fr/oauth/retour'],
        },
      },
    },
    {
      definition: {
        id: 'rdv-sante-proche',
        name: 'RDV Santé Proche',
        editor: { name: 'Agendis Santé', url: 'https://www.agendis.example.fr' },
        summary:
          'Prenez rendez-vous avec des professionnels près de chez vous ; le rendez-vous s’ajoute à votre agenda.',
        description:
          'Cherchez un médecin, un dentiste ou un kinésithérapeute disponible près de chez vous et réservez en ligne. Chaque rendez-vous pris est ajouté à l’agenda de Mon espace santé, avec un rappel la veille.',
        category: 'rendez-vous',
        purposes: ['write-agenda', 'read-agenda'],
        dataExchanged: ['Date, heure et lieu de vos rendez-vous', 'Nom et spécialité du professionnel'],
        links: {
          web: 'https://www.rdv-sante-proche.example.fr',
          appStore: 'https://apps.apple.com/fr/app/rdv-sante-proche/id0000000002',
          googlePlay: 'https://play.google.com/store/apps/details?id=fr.example.rdvsante',
        },
        oauth: {
          clientId: 'rdv-sante-proche',
          redirectUris: ['https://www.rdv-sante-proche.example.fr/connexion/retour'],
        },
      },
    },
    {
      definition: {
        id: 'pas-a-pas',
        name: 'Pas à Pas',
        editor: { name: 'Mouvement Libre', url: 'https://www.mouvement-libre.example.fr' },
        summary: 'Comptez vos pas et suivez votre activité physique au fil des semaines.',
        description:
          'Pas à Pas compte vos pas avec le capteur de votre téléphone, vous propose des objectifs réalistes et envoie votre total quotidien dans votre profil médical.',
        category: 'activite-physique',
        purposes: ['write-measurements'],
        dataExchanged: ['Nombre de pas par jour'],
        links: {
          appStore: 'https://apps.apple.com/fr/app/pas-a-pas/id0000000003',
          googlePlay: 'https://play.google.com/store/apps/details?id=fr.example.pasapas',
        },
      },
    },
    {
      definition: {
        id: 'neuf-mois-serein',
        name: 'Neuf Mois Serein',
        editor: { name: 'Périnat Numérique', url: 'https://www.perinat-numerique.example.fr' },
        summary:
          'Le suivi de votre grossesse, rendez-vous et examens compris, avec vos documents sous la main.',
        description:
          'Neuf Mois Serein vous accompagne de la déclaration de grossesse à l’examen postnatal : calendrier des examens obligatoires, échographies, conseils validés par des sages-femmes. L’application lit vos comptes rendus et ajoute vos rendez-vous de suivi à votre agenda.',
        category: 'grossesse-parentalite',
        purposes: ['read-documents', 'read-profile', 'write-agenda'],
        dataExchanged: [
          'Comptes rendus d’échographie et résultats de biologie',
          'Allergies, traitements et vaccinations de votre profil médical',
          'Rendez-vous de suivi de grossesse',
        ],
        links: {
          web: 'https://www.neufmoisserein.example.fr',
          privacyPolicy: 'https://www.neufmoisserein.example.fr/donnees-personnelles',
        },
        oauth: {
          clientId: 'neuf-mois-serein',
          redirectUris: ['https://www.neufmoisserein.example.fr/auth/callback'],
        },
      },
    },
    {
      definition: {
        id: 'mon-pilulier',
        name: 'Mon Pilulier',
        editor: { name: 'Officine Digitale', url: 'https://www.officine-digitale.example.fr' },
        summary: 'Des rappels à l’heure de chaque prise, à partir des traitements de votre profil.',
        description:
          'Mon Pilulier lit les traitements de votre profil médical et vous rappelle chaque prise. Le service est en maintenance : il reprendra prochainement.',
        category: 'medicaments',
        purposes: ['read-profile'],
        dataExchanged: ['Traitements en cours de votre profil médical'],
        links: { web: 'https://www.monpilulier.example.fr' },
        status: 'offline',
      },
    },
    {
      definition: {
        id: 'sommeil-zen',
        name: 'Sommeil Zen',
        editor: { name: 'Nuit Claire', url: 'https://www.nuitclaire.example.fr' },
        summary: 'Un programme de huit semaines pour mieux dormir, fondé sur la thérapie cognitive.',
        description:
          'Sommeil Zen propose un agenda du sommeil et des exercices de thérapie cognitive et comportementale de l’insomnie.',
        category: 'sante-mentale',
        purposes: ['read-measurements'],
        dataExchanged: ['Fréquence cardiaque et nombre de pas'],
        links: { googlePlay: 'https://play.google.com/store/apps/details?id=fr.example.sommeilzen' },
      },
      then: {
        decision: 'suspend',
        reason: 'Vérification en cours de la conformité de l’hébergement des données de santé.',
      },
    },
    {
      definition: {
        id: 'dossier-express',
        name: 'Dossier Express',
        editor: { name: 'Archivia', url: 'https://www.archivia.example.fr' },
        summary: 'Un coffre-fort de documents médicaux, retiré du catalogue.',
        description: 'Service retiré du catalogue à la demande de son éditeur.',
        category: 'prevention',
        purposes: ['read-documents'],
        dataExchanged: ['Documents de santé'],
        links: { web: 'https://www.dossier-express.example.fr' },
      },
      then: { decision: 'dereference', reason: 'Arrêt du service par l’éditeur.' },
    },
  ];
}

export interface DemoCatalogueOptions {
  /** Redirect URIs of the demo GlucoSuivi app (where the demo process listens). */
  readonly glucoSuiviRedirectUris?: readonly string[];
}

/**
 * Adds the demo services that are not in the catalogue yet, through the operator's path (so they are
 * validated like any other). Existing entries are left alone: an operator's later decisions stand.
 */
export async function seedDemoCatalogue(
  ctx: AppContext,
  options: DemoCatalogueOptions = {},
): Promise<{ added: number }> {
  let added = 0;
  const entries = demoCatalogue(options.glucoSuiviRedirectUris ?? GLUCOSUIVI_DEFAULT_REDIRECT_URIS);
  for (const entry of entries) {
    if (await findService(ctx.db, entry.definition.id as string)) continue;
    await referenceService(ctx, entry.definition);
    if (entry.then)
      await decideServiceStatus(ctx, entry.definition.id as string, entry.then.decision, entry.then.reason);
    added++;
  }
  return { added };
}
