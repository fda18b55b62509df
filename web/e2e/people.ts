/** Insured people for the journeys, written in the Assurance Maladie import format (src/profile/import). */

/** Appends the NIR key (97 − the 13 digits mod 97) to 13 digits. */
export function withKey(thirteen: string): string {
  const key = 97n - (BigInt(thirteen) % 97n);
  return `${thirteen}${key.toString().padStart(2, '0')}`;
}

export interface JourneyPerson {
  readonly ins: string;
  readonly birthName: string;
  readonly firstNames: string;
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
  readonly email: string;
  readonly vitaleSerial: string;
  readonly opposed?: boolean;
}

export const camille: JourneyPerson = {
  ins: withKey('2850475056123'),
  birthName: 'Lefèvre',
  firstNames: 'Camille Marie',
  birthDate: '1985-04-12',
  sex: 'F',
  email: 'camille.lefevre@exemple.fr',
  vitaleSerial: '8100123456',
};

export const paul: JourneyPerson = {
  ins: withKey('1720169123045'),
  birthName: 'Garnier',
  firstNames: 'Paul',
  birthDate: '1972-01-30',
  sex: 'M',
  email: 'paul.garnier@exemple.fr',
  vitaleSerial: '8100654321',
};

export const odile: JourneyPerson = {
  ins: withKey('2630313055012'),
  birthName: 'Roux',
  firstNames: 'Odile',
  birthDate: '1963-03-05',
  sex: 'F',
  email: 'odile.roux@exemple.fr',
  vitaleSerial: '8100777888',
  opposed: true,
};

export function importCsv(people: readonly JourneyPerson[]): string {
  const header = 'ins;birth_name;first_names;birth_date;sex;email;vitale_serial;opposed';
  const lines = people.map((p) =>
    [
      p.ins,
      p.birthName,
      p.firstNames,
      p.birthDate,
      p.sex,
      p.email,
      p.vitaleSerial,
      p.opposed ? 'true' : '',
    ].join(';'),
  );
  return [header, ...lines].join('\n');
}

/** The NIR as printed on the carte Vitale, with spaces: the form must accept it. */
export const spaced = (ins: string): string =>
  [
    ins.slice(0, 1),
    ins.slice(1, 3),
    ins.slice(3, 5),
    ins.slice(5, 7),
    ins.slice(7, 10),
    ins.slice(10, 13),
    ins.slice(13),
  ].join(' ');

export const ines: JourneyPerson = {
  ins: withKey('2910233063011'),
  birthName: 'Moreau',
  firstNames: 'Inès',
  birthDate: '1991-02-14',
  sex: 'F',
  email: 'ines.moreau@exemple.fr',
  vitaleSerial: '8100333444',
};

export const lucas: JourneyPerson = {
  ins: withKey('1000844109007'),
  birthName: 'Blanc',
  firstNames: 'Lucas',
  birthDate: '2000-08-21',
  sex: 'M',
  email: 'lucas.blanc@exemple.fr',
  vitaleSerial: '8100555666',
};
