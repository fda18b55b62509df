/** French labels of the coded values of the profile, for the web apps, the PDF synthesis and the VSM prefill. */
import type { ProfileSection } from '../terminology/index.ts';
import { measurementKinds } from './measurements.ts';
import type {
  AllergyCategory,
  AllergySeverity,
  ContactRole,
  FamilyRelation,
  LifestyleTopic,
  OrganDonationChoice,
  ProfileEntry,
  SectionData,
} from './types.ts';

export const allergyCategoryLabels: Record<AllergyCategory, string> = {
  medication: 'Médicament',
  food: 'Aliment',
  environment: 'Environnement (pollen, acariens, animaux…)',
  biologic: 'Produit biologique (venin, latex…)',
};
export const allergySeverityLabels: Record<AllergySeverity, string> = {
  mild: 'Légère',
  moderate: 'Modérée',
  severe: 'Grave',
};
export const familyRelationLabels: Record<FamilyRelation, string> = {
  mother: 'Mère',
  father: 'Père',
  sibling: 'Frère ou sœur',
  grandparent: 'Grand-parent',
  child: 'Enfant',
  'uncle-aunt': 'Oncle ou tante',
  other: 'Autre membre de la famille',
};
export const lifestyleTopicLabels: Record<LifestyleTopic, string> = {
  tobacco: 'Tabac',
  alcohol: 'Alcool',
  'physical-activity': 'Activité physique',
  diet: 'Alimentation',
  sleep: 'Sommeil',
  other: 'Autre',
};
export const contactRoleLabels: Record<ContactRole, string> = {
  emergency: 'Contact en cas d’urgence',
  'trusted-person': 'Personne de confiance',
  caregiver: 'Aidant',
};
export const organDonationLabels: Record<OrganDonationChoice, string> = {
  accept: 'J’accepte le don de mes organes et tissus',
  refuse: 'Je refuse le don de mes organes et tissus',
};

const frDate = (iso: string) => iso.slice(0, 10).split('-').reverse().join('/');

/** One line summing an entry up, in French (the portal, the PDF synthesis, the VSM prefill). */
export function entrySummary(entry: ProfileEntry): string {
  const d = entry.data as unknown;
  switch (entry.section as ProfileSection) {
    case 'treatments': {
      const t = d as SectionData['treatments'];
      return [
        t.dosage ? `${t.medication} – ${t.dosage}` : t.medication,
        t.reason && `(motif : ${t.reason})`,
        t.startDate && `depuis le ${frDate(t.startDate)}`,
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'allergies': {
      const a = d as SectionData['allergies'];
      return [
        `${a.substance} – ${allergyCategoryLabels[a.category].split(' (')[0]!.toLowerCase()}`,
        a.reaction && `: ${a.reaction}`,
        a.severity && `— ${allergySeverityLabels[a.severity].toLowerCase()}`,
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'conditions': {
      const c = d as SectionData['conditions'];
      // Something over reads "du … au …"; something ongoing, "depuis le …".
      if (c.resolvedOn) {
        return [
          c.label,
          c.since ? `du ${frDate(c.since)} au ${frDate(c.resolvedOn)}` : `guérie le ${frDate(c.resolvedOn)}`,
        ].join(' ');
      }
      return [c.label, c.since && `depuis le ${frDate(c.since)}`].filter(Boolean).join(' ');
    }
    case 'disabilities': {
      const c = d as SectionData['disabilities'];
      return [c.label, c.since && `depuis le ${frDate(c.since)}`].filter(Boolean).join(' ');
    }
    case 'hospitalisations': {
      const h = d as SectionData['hospitalisations'];
      return [
        `${frDate(h.startDate)}${h.endDate ? ` – ${frDate(h.endDate)}` : ''} : ${h.reason}`,
        h.place && `(${h.place})`,
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'family-history': {
      const f = d as SectionData['family-history'];
      return `${familyRelationLabels[f.relation]} : ${f.condition}${f.ageAtOnset !== undefined ? ` (à ${f.ageAtOnset} ans)` : ''}`;
    }
    case 'vaccinations': {
      const v = d as SectionData['vaccinations'];
      return [`${v.vaccine} le ${frDate(v.date)}`, v.doseLabel && `(${v.doseLabel})`, v.lot && `lot ${v.lot}`]
        .filter(Boolean)
        .join(' ');
    }
    case 'measurements': {
      const m = d as SectionData['measurements'];
      const info = measurementKinds[m.kind];
      const value = m.kind === 'blood-pressure' ? `${m.value}/${m.value2 ?? '?'}` : `${m.value}`;
      return `${info.label} : ${value.replace('.', ',')} ${info.unitLabel} le ${frDate(m.at)}`;
    }
    case 'lifestyle': {
      const l = d as SectionData['lifestyle'];
      return `${lifestyleTopicLabels[l.topic]} : ${l.description}`;
    }
    case 'contacts': {
      const c = d as SectionData['contacts'];
      return [`${contactRoleLabels[c.role]} : ${c.name}`, c.relationship && `(${c.relationship})`, c.phone]
        .filter(Boolean)
        .join(' ');
    }
    case 'wishes': {
      const w = d as SectionData['wishes'];
      return w.kind === 'organ-donation' ? organDonationLabels[w.choice] : w.text;
    }
    case 'blood-group': {
      const b = d as SectionData['blood-group'];
      return `${b.abo} ${b.rhesus === 'positive' ? 'Rhésus positif' : 'Rhésus négatif'}`;
    }
  }
}
