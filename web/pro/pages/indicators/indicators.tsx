import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { appName } from '../../types.ts';

interface IndicatorMonth {
  readonly month: string;
  readonly consultations: number;
  readonly withDeposit: number;
  readonly withMessage: number;
  readonly depositShare: number;
  readonly messageShare: number;
  readonly depositMet: boolean;
  readonly messageMet: boolean;
}

interface Indicators {
  readonly thresholds: { readonly deposit: number; readonly message: number };
  readonly definitions: {
    readonly consultations: string;
    readonly deposit: string;
    readonly message: string;
  } | null;
  readonly months: readonly IndicatorMonth[];
}

/** "2026-03" → "mars 2026" */
const monthLabel = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  if (!year || !m) return month;
  return new Date(Date.UTC(year, m - 1, 15)).toLocaleDateString('fr-FR', { month: 'long', year: 'numeric' });
};

/** 0.2 → "20 %", 0.0833 → "8,3 %" (French notation, narrow no-break space before %). */
const percent = (share: number) =>
  share.toLocaleString('fr-FR', { style: 'percent', maximumFractionDigits: 1 });

function Share({
  share,
  count,
  total,
  met,
  threshold,
}: {
  share: number;
  count: number;
  total: number;
  met: boolean;
  threshold: number;
}) {
  if (total === 0) return <>—</>;
  return (
    <>
      <strong>{percent(share)}</strong> ({count} sur {total}){' '}
      <span className={met ? 'badge badge-met' : 'badge badge-soon'}>
        {met ? 'Objectif atteint' : `Sous l’objectif de ${percent(threshold)}`}
      </span>
    </>
  );
}

export function IndicatorsPage() {
  const { state } = useLoad<Indicators>('/api/pro/indicators');
  return (
    <Page title="Mes indicateurs Mon espace santé" app={appName}>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && <IndicatorsContent data={state.data} />}
    </Page>
  );
}

function IndicatorsContent({ data }: { data: Indicators }) {
  const { thresholds, definitions } = data;
  return (
    <>
      <p className="lead">
        Le forfait structure valorise les cabinets dont au moins {percent(thresholds.deposit)} des
        consultations donnent lieu à l’alimentation d’un DMP et au moins {percent(thresholds.message)} à un
        échange par messagerie sécurisée (MSSanté) avec le patient.
      </p>
      <section className="card" aria-labelledby="definitions-title">
        <h2 id="definitions-title">Comment ces chiffres sont calculés</h2>
        <dl className="facts">
          <dt>Consultations</dt>
          <dd>
            {definitions?.consultations ?? 'Les patients dont vous avez consulté le dossier, par mois.'}
          </dd>
          <dt>Avec alimentation du DMP</dt>
          <dd>{definitions?.deposit ?? 'Les consultations suivies d’un dépôt de document de votre part.'}</dd>
          <dt>Avec échange MSSanté</dt>
          <dd>
            {definitions?.message ?? 'Les consultations suivies d’un message sécurisé avec le patient.'}
          </dd>
        </dl>
      </section>
      {data.months.length === 0 ? (
        <p className="notice">Aucune consultation enregistrée pour le moment.</p>
      ) : (
        <div className="table-scroll">
          <table className="indicators">
            <caption>Vos indicateurs par mois</caption>
            <thead>
              <tr>
                <th scope="col">Mois</th>
                <th scope="col">Consultations</th>
                <th scope="col">
                  DMP alimenté <span className="hint">(objectif {percent(thresholds.deposit)})</span>
                </th>
                <th scope="col">
                  Échange MSSanté <span className="hint">(objectif {percent(thresholds.message)})</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthLabel(m.month)}</th>
                  <td>{m.consultations}</td>
                  <td>
                    <Share
                      share={m.depositShare}
                      count={m.withDeposit}
                      total={m.consultations}
                      met={m.depositMet}
                      threshold={thresholds.deposit}
                    />
                  </td>
                  <td>
                    <Share
                      share={m.messageShare}
                      count={m.withMessage}
                      total={m.consultations}
                      met={m.messageMet}
                      threshold={thresholds.message}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
