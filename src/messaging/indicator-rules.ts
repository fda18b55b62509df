/** The seed's targets: 20 % of consultations with a DMP deposit, 5 % with an MSSanté exchange. */
export const DEPOSIT_THRESHOLD = 0.2;
export const MESSAGE_THRESHOLD = 0.05;

export const indicatorDefinitions = {
  consultations:
    'Patients distincts dont le professionnel a consulté ou alimenté le dossier (DMP) dans le mois, d’après la trace des accès.',
  deposit:
    'Parmi eux, patients dans le dossier desquels le professionnel a déposé au moins un document ce mois-là.',
  message:
    'Parmi eux, patients à qui le professionnel a écrit au moins un message MSSanté depuis son adresse ce mois-là.',
} as const;

/** `YYYY-MM` of the last `count` months up to `now`'s month (UTC), oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

export interface MonthSets {
  readonly consulted: ReadonlySet<string>;
  readonly deposited: ReadonlySet<string>;
  readonly messaged: ReadonlySet<string>;
}

/** Counts and shares for one month; deposits and messages count only for consulted patients. */
export function monthFigures(sets: MonthSets) {
  const consultations = sets.consulted.size;
  const within = (s: ReadonlySet<string>) => [...s].filter((p) => sets.consulted.has(p)).length;
  const withDeposit = within(sets.deposited);
  const withMessage = within(sets.messaged);
  const share = (n: number) => (consultations === 0 ? 0 : n / consultations);
  return {
    consultations,
    withDeposit,
    withMessage,
    depositShare: share(withDeposit),
    messageShare: share(withMessage),
    depositMet: consultations > 0 && share(withDeposit) >= DEPOSIT_THRESHOLD,
    messageMet: consultations > 0 && share(withMessage) >= MESSAGE_THRESHOLD,
  };
}
