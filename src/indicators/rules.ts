/**
 * The professional's Mon espace santé indicators, as the Assurance Maladie brochure of January 2023 (« Mon espace
 * santé, le DMP, la MSS, mode d’emploi ») defines them: the forfait structure pays on « 20 % des consultations
 * donnant lieu à alimentation d’un DMP et 5 % des consultations donnant lieu à un échange par MSSanté avec les
 * patients », and from 2023 a specific remuneration values « l’élaboration des Volets de Synthèse Médicale (VSM) et
 * leur versement dans les DMP, notamment pour vos patients en ALD ».
 *
 * Pure: the facts come in (read by `indicators.ts`), the figures go out.
 *
 * - A consultation is one line of the reimbursed-care history the insurer feeds whose nature is a consultation,
 *   a teleconsultation or a home visit, performed by the professional (the line's RPPS); it belongs to the month
 *   of its date.
 * - It « gives rise to » a DMP deposit when the professional deposited, as author, a document in that patient's
 *   record on the day of the consultation or within the 30 days after; to an MSSanté exchange when they sent that
 *   patient a message in the same window. A month's figures are provisional until 30 days after its last day.
 * - VSMs: the patients for whom the professional deposited a Volet de Synthèse Médicale in the month (a corrected
 *   version is the same patient), those whose long-term illness (ALD) the insurer recognised on the day of the
 *   deposit counted apart.
 */

/**
 * The targets of the Assurance Maladie's brochure (docs/features.md, "Professional's indicators"): 20 % of
 * consultations with a DMP deposit, 5 % with an MSSanté exchange.
 */
export const DEPOSIT_THRESHOLD = 0.2;
export const MESSAGE_THRESHOLD = 0.05;
/** Days after a consultation (the day itself included) in which a deposit or a message counts for it. */
export const FOLLOW_UP_DAYS = 30;
/** The natures of a reimbursed service (src/insurer/feed/format.ts `careNatures`) that are consultations. */
export const consultationNatures = ['consultation', 'teleconsultation', 'visite'] as const;

/** Calendar days are `YYYY-MM-DD`; months `YYYY-MM`. */
export interface Consultation {
  readonly patientId: string;
  readonly day: string;
}

export interface Deposit {
  readonly patientId: string;
  readonly day: string;
  readonly vsm: boolean;
}

export interface Message {
  readonly patientId: string;
  readonly day: string;
}

export interface AldPeriod {
  readonly patientId: string;
  readonly start: string;
  /** Last day, included; undefined: no end. */
  readonly end: string | undefined;
}

export interface IndicatorFacts {
  readonly consultations: readonly Consultation[];
  /** Documents the professional deposited as author (not those a patient filed from a message). */
  readonly deposits: readonly Deposit[];
  /** MSSanté messages the professional sent to a patient's mailbox. */
  readonly messages: readonly Message[];
  readonly ald: readonly AldPeriod[];
}

export interface MonthIndicators {
  readonly month: string;
  readonly consultations: number;
  readonly withDeposit: number;
  readonly withMessage: number;
  readonly depositShare: number;
  readonly messageShare: number;
  readonly depositMet: boolean;
  readonly messageMet: boolean;
  /** Deposits or messages may still come for this month's consultations (less than 30 days since its end). */
  readonly provisional: boolean;
  /** All the professional's own deposits in the month. */
  readonly deposits: number;
  /** Patients in ALD (on the day of the deposit) for whom the professional deposited a VSM in the month. */
  readonly vsmAld: number;
  /** The other patients for whom they deposited a VSM in the month. */
  readonly vsmOther: number;
}

const DAY_MS = 86_400_000;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

/** `day` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  return new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);
}

const parisDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in France of an instant: care dates are French days, deposits and messages instants. */
export const dayInFrance = (instant: string | Date): string =>
  parisDay.format(typeof instant === 'string' ? new Date(instant) : instant);

/** `YYYY-MM` of the last `count` months up to `today`'s month, oldest first. */
export function lastMonths(today: string, count: number): string[] {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    months.push(new Date(Date.UTC(year, month - 1 - i, 1)).toISOString().slice(0, 7));
  }
  return months;
}

/** The last day of a month. */
export const lastDayOf = (month: string): string =>
  addDays(addDays(`${month}-01`, 31).slice(0, 7) + '-01', -1);

/** Whether one of `days` falls in [consultation day, consultation day + 30]. */
function followedBy(day: string, days: readonly string[] | undefined): boolean {
  if (!days) return false;
  const last = addDays(day, FOLLOW_UP_DAYS);
  return days.some((d) => d >= day && d <= last);
}

function byPatient<T extends { patientId: string; day: string }>(items: readonly T[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const item of items) {
    const list = map.get(item.patientId);
    if (list) list.push(item.day);
    else map.set(item.patientId, [item.day]);
  }
  return map;
}

/** Whether the insurer recognised a long-term illness for the patient on `day`. */
export function inAld(ald: readonly AldPeriod[], patientId: string, day: string): boolean {
  return ald.some(
    (p) => p.patientId === patientId && p.start <= day && (p.end === undefined || day <= p.end),
  );
}

const share = (n: number, total: number) => (total === 0 ? 0 : n / total);

/** The figures of each month of `months` (oldest first), `today` deciding which are still provisional. */
export function computeIndicators(
  facts: IndicatorFacts,
  months: readonly string[],
  today: string,
): MonthIndicators[] {
  const deposits = byPatient(facts.deposits);
  const messages = byPatient(facts.messages);
  return months.map((month) => {
    const consultations = facts.consultations.filter((c) => c.day.startsWith(month));
    const withDeposit = consultations.filter((c) => followedBy(c.day, deposits.get(c.patientId))).length;
    const withMessage = consultations.filter((c) => followedBy(c.day, messages.get(c.patientId))).length;
    const own = facts.deposits.filter((d) => d.day.startsWith(month));
    // Patients, not versions: a VSM corrected (replaced) in the month is still one patient's VSM.
    const vsm = own.filter((d) => d.vsm);
    const aldPatients = new Set(
      vsm.filter((d) => inAld(facts.ald, d.patientId, d.day)).map((d) => d.patientId),
    );
    const otherPatients = new Set(vsm.map((d) => d.patientId).filter((p) => !aldPatients.has(p)));
    const total = consultations.length;
    return {
      month,
      consultations: total,
      withDeposit,
      withMessage,
      depositShare: share(withDeposit, total),
      messageShare: share(withMessage, total),
      depositMet: total > 0 && share(withDeposit, total) >= DEPOSIT_THRESHOLD,
      messageMet: total > 0 && share(withMessage, total) >= MESSAGE_THRESHOLD,
      provisional: today <= addDays(lastDayOf(month), FOLLOW_UP_DAYS),
      deposits: own.length,
      vsmAld: aldPatients.size,
      vsmOther: otherPatients.size,
    };
  });
}

/** What each figure means, in plain French, shown on the professional's page. */
export const indicatorDefinitions = {
  consultations:
    'Vos consultations au cabinet, téléconsultations et visites à domicile remboursées par l’Assurance Maladie, telles qu’elle les transmet dans l’historique des soins de vos patients (la nature de l’acte remboursé et votre numéro RPPS). Chaque consultation compte, même si vous voyez le même patient deux fois dans le mois. Une consultation apparaît une fois remboursée, souvent quelques jours après.',
  deposit:
    'Parmi ces consultations, celles pour lesquelles vous avez déposé au moins un document dans le dossier médical (DMP) de ce patient, en tant qu’auteur, le jour de la consultation ou dans les 30 jours qui suivent. Un document que le patient a lui-même classé dans son dossier depuis un de vos messages ne compte pas : c’est son dépôt, pas le vôtre.',
  message:
    'Parmi ces consultations, celles pour lesquelles vous avez envoyé au moins un message par la messagerie sécurisée de santé (MSSanté) à ce patient, le jour de la consultation ou dans les 30 jours qui suivent.',
  provisional:
    'Les chiffres d’un mois restent provisoires pendant les 30 jours qui suivent sa fin : un dépôt ou un message peut encore s’ajouter.',
  vsm: 'Le nombre de patients pour qui vous avez déposé un volet de synthèse médicale (VSM) dans le mois (une version corrigée ne compte pas deux fois), ceux en affection de longue durée (ALD) comptés à part : les patients dont l’Assurance Maladie reconnaît une ALD le jour du dépôt. C’est le versement du VSM dans le DMP que la rémunération mise en place en 2023 valorise.',
} as const;
