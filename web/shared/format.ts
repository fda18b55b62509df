/** Input tolerance and display rules shared by both apps. */

/** NIR, INS, carte Vitale serial and codes are typed with spaces, dots or dashes: keep letters and digits only. */
export const compact = (value: string): string => value.replace(/[\s.\-_]/g, '').toUpperCase();

/** 1985-03-28 → 28/03/1985 */
export function frenchDate(isoDate: string): string {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return day && month && year ? `${day}/${month}/${year}` : isoDate;
}

export function sexLabel(sex: string): string {
  if (sex === 'female' || sex === 'F' || sex === '2') return 'Féminin';
  if (sex === 'male' || sex === 'M' || sex === '1') return 'Masculin';
  return 'Non renseigné';
}

const stateLabels: Readonly<Record<string, string>> = {
  activated: 'Profil activé',
  created: 'Profil créé, non activé',
  opposed: 'Opposé à la création du profil',
  closed: 'Profil clôturé',
};

export const profileStateLabel = (state: string): string => stateLabels[state] ?? state;

/** "Claire Marie", "DUPONT", "MARTIN" → "Claire DUPONT (née MARTIN)" style display of a person's names. */
export function personName(person: {
  firstNames: string;
  birthName: string;
  usedName?: string | null;
}): string {
  const first = person.firstNames.split(/\s+/)[0] ?? person.firstNames;
  const used = person.usedName?.trim();
  return `${first} ${(used || person.birthName).toUpperCase()}`;
}

/** INS written in groups as on the carte Vitale: 2 79 03 51 215 189 89. */
export function groupedIns(ins: string): string {
  const parts = [1, 2, 2, 2, 3, 3, 2];
  let at = 0;
  return parts
    .map((length) => {
      const part = ins.slice(at, at + length);
      at += length;
      return part;
    })
    .filter(Boolean)
    .join(' ');
}

/** "Dr Claire MARTIN": the title doctors and dentists (professions 10 and 40) are addressed by. */
export function professionalName(p: {
  givenName: string;
  familyName: string;
  professionCode: string;
}): string {
  const title = p.professionCode === '10' || p.professionCode === '40' ? 'Dr ' : '';
  return `${title}${p.givenName} ${p.familyName.toUpperCase()}`;
}
