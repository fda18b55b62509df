/**
 * The demo insured people, in the Assurance Maladie import format (README "Importing insured people").
 * INS numbers are fictitious with valid keys, except PAT-TROIS Dominique: the ANS test patient of the
 * official CDA examples (test range OID 1.2.250.1.213.1.4.10), so those documents can be deposited as they are.
 */
export type DemoState = 'activated' | 'created' | 'opposed';

export interface DemoPatient {
  readonly record: {
    readonly ins: string;
    readonly ins_oid?: string;
    readonly birth_name: string;
    readonly used_name?: string;
    readonly first_names: string;
    readonly birth_date: string;
    readonly sex: 'M' | 'F';
    readonly birth_place_insee?: string;
    readonly email: string;
    readonly phone?: string;
    readonly vitale_serial: string;
    readonly representative_ins?: string;
    readonly opposed?: boolean;
  };
  readonly state: DemoState;
  /** For activated adults: the login they chose (the password is `DEMO_PASSWORD`). */
  readonly login?: string;
  /** For a minor activated by a representative: that representative's INS. */
  readonly activatedBy?: string;
  /** Why this person is in the demo. */
  readonly note: string;
}

/** Every activated demo patient signs in with this password (then a one-time code from the dev mailbox). */
export const DEMO_PASSWORD = 'Carnet-demo-2026';

const p = (
  state: DemoState,
  record: DemoPatient['record'],
  note: string,
  extra: Pick<DemoPatient, 'login' | 'activatedBy'> = {},
): DemoPatient => ({ state, record, note, ...extra });

export const demoPatients: readonly DemoPatient[] = [
  p(
    'activated',
    {
      ins: '279035121518989',
      ins_oid: '1.2.250.1.213.1.4.10',
      birth_name: 'PAT-TROIS',
      first_names: 'Dominique',
      birth_date: '1979-03-28',
      sex: 'F',
      birth_place_insee: '51215',
      email: 'dominique.pat-trois@mail.example',
      vitale_serial: '79031952',
    },
    'ANS test patient of the official CDA examples',
    { login: 'dominique.pat-trois' },
  ),
  p(
    'activated',
    {
      ins: '168047505611243',
      birth_name: 'DUPONT',
      first_names: 'Jean Michel',
      birth_date: '1968-04-12',
      sex: 'M',
      birth_place_insee: '75056',
      email: 'jean.dupont@mail.example',
      phone: '+33612345601',
      vitale_serial: '68041275',
    },
    'adult, activated',
    { login: 'jean.dupont' },
  ),
  p(
    'activated',
    {
      ins: '271096912304585',
      birth_name: 'LEFEBVRE',
      used_name: 'MOREL',
      first_names: 'Marie',
      birth_date: '1971-09-03',
      sex: 'F',
      birth_place_insee: '69123',
      email: 'marie.morel@mail.example',
      vitale_serial: '71090369',
    },
    'adult with a used name; type 2 diabetes follow-up in later issues',
    { login: 'marie.morel' },
  ),
  p(
    'activated',
    {
      ins: '290063306307802',
      birth_name: 'ROUSSEAU',
      first_names: 'Émilie',
      birth_date: '1990-06-21',
      sex: 'F',
      birth_place_insee: '33063',
      email: 'emilie.rousseau@mail.example',
      vitale_serial: '90062133',
    },
    'parent and legal representative of Chloé and Noah',
    { login: 'emilie.rousseau' },
  ),
  p(
    'activated',
    {
      ins: '185121305523150',
      birth_name: 'BENALI',
      first_names: 'Karim',
      birth_date: '1985-12-09',
      sex: 'M',
      birth_place_insee: '13055',
      email: 'karim.benali@mail.example',
      vitale_serial: '85120913',
    },
    'second legal representative of Chloé and Noah',
    { login: 'karim.benali' },
  ),
  p(
    'activated',
    {
      ins: '152025935001471',
      birth_name: 'LAMBERT',
      first_names: 'Bernard',
      birth_date: '1952-02-17',
      sex: 'M',
      birth_place_insee: '59350',
      email: 'bernard.lambert@mail.example',
      vitale_serial: '52021759',
    },
    'over 65: influenza and pneumococcus reminders in later issues',
    { login: 'bernard.lambert' },
  ),
  p(
    'activated',
    {
      ins: '274067654007661',
      birth_name: 'GIRAUD',
      first_names: 'Nathalie',
      birth_date: '1974-06-30',
      sex: 'F',
      birth_place_insee: '76540',
      email: 'nathalie.giraud@mail.example',
      vitale_serial: '74063076',
    },
    'woman over 50: breast and colorectal screening',
    { login: 'nathalie.giraud' },
  ),
  p(
    'activated',
    {
      ins: '299083417201149',
      birth_name: 'FONTAINE',
      first_names: 'Léa',
      birth_date: '1999-08-14',
      sex: 'F',
      birth_place_insee: '34172',
      email: 'lea.fontaine@mail.example',
      vitale_serial: '99081434',
    },
    'pregnancy follow-up in later issues',
    { login: 'lea.fontaine' },
  ),
  p(
    'activated',
    {
      ins: '255042123104707',
      birth_name: 'VIDAL',
      used_name: 'BRUNET',
      first_names: 'Hélène Marguerite',
      birth_date: '1955-04-14',
      sex: 'F',
      birth_place_insee: '21231',
      email: 'helene.brunet@mail.example',
      phone: '+33612345607',
      vitale_serial: '55041421',
    },
    'long-term patient: ten years of type 2 diabetes, heart failure and hospital stays, about a thousand documents (serve --demo)',
    { login: 'helene.brunet' },
  ),
  p(
    'activated',
    {
      ins: '215027511520318',
      birth_name: 'BENALI ROUSSEAU',
      first_names: 'Chloé',
      birth_date: '2015-02-05',
      sex: 'F',
      birth_place_insee: '75115',
      email: 'emilie.rousseau@mail.example',
      vitale_serial: '90062133',
      representative_ins: '290063306307802|185121305523150',
    },
    'minor, activated and managed by her mother Émilie',
    { activatedBy: '290063306307802' },
  ),
  p(
    'created',
    {
      ins: '118077511520497',
      birth_name: 'BENALI ROUSSEAU',
      first_names: 'Noah',
      birth_date: '2018-07-19',
      sex: 'M',
      birth_place_insee: '75115',
      email: 'emilie.rousseau@mail.example',
      vitale_serial: '90062133',
      representative_ins: '290063306307802|185121305523150',
    },
    'minor, not yet activated: a parent activates him from their own space',
  ),
  p(
    'opposed',
    {
      ins: '164053818509916',
      birth_name: 'FAURE',
      first_names: 'Alain',
      birth_date: '1964-05-08',
      sex: 'M',
      birth_place_insee: '38185',
      email: 'alain.faure@mail.example',
      vitale_serial: '64050838',
      opposed: true,
    },
    'opposed to the creation of his profile',
  ),
  ...(
    [
      [
        '247112A00402129',
        'SANTONI',
        'Antoinette',
        '1947-11-23',
        'F',
        '2A004',
        'born in Ajaccio (Corsica, 2A)',
      ],
      [
        '240122B03300744',
        'CASANOVA',
        'Marie-Dominique',
        '1940-12-02',
        'F',
        '2B033',
        'born in Bastia (Corsica, 2B)',
      ],
      ['160074410906766', 'GUERIN', 'Pierre', '1960-07-11', 'M', '44109', 'not activated'],
      ['282016748209006', 'KLEIN', 'Sandrine', '1982-01-25', 'F', '67482', 'not activated'],
      ['195053155510296', 'ROUX', 'Lucas', '1995-05-04', 'M', '31555', 'not activated'],
      ['258103523803361', 'LE GALL', 'Monique', '1958-10-16', 'F', '35238', 'not activated'],
      ['176030608815411', 'BLANC', 'Olivier', '1976-03-27', 'M', '06088', 'not activated'],
      ['188096444501886', 'ETCHEVERRY', 'Mathieu', '1988-09-09', 'M', '64445', 'not activated'],
    ] as const
  ).map(([ins, birthName, firstNames, birthDate, sex, insee, note]) =>
    p(
      'created',
      {
        ins,
        birth_name: birthName,
        first_names: firstNames,
        birth_date: birthDate,
        sex,
        birth_place_insee: insee,
        email: `${firstNames
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z-]/g, '')}.${birthName.toLowerCase().replace(/\s/g, '-')}@mail.example`,
        vitale_serial: `${ins.slice(1, 5)}${ins.slice(11, 15)}`,
      },
      note,
    ),
  ),
];
