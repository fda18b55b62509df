import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { appName } from '../../types.ts';
import type { Indicators } from '../../../../src/http/contracts/indicators-api.ts';

/** "2026-03" → "mars 2026" */
const monthLabel = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  if (!year || !m) return month;
  return new Date(Date.UTC(year, m - 1, 15)).toLocaleDateString('fr-FR', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
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
  if (total === 0) return <span aria-label="sans objet">—</span>;
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

/** One card a month on a phone; a month without consultation nor VSM in one sentence. */
function MonthCards({ data }: { data: Indicators }) {
  const { thresholds } = data;
  return (
    <section className="indicators-narrow" aria-labelledby="months-title">
      <h2 id="months-title">Vos indicateurs des 12 derniers mois</h2>
      <ol className="indicator-cards">
        {data.months.map((m) => (
          <li key={m.month} className="card">
            <h3>
              {monthLabel(m.month)}
              {m.provisional && <span className="hint"> (provisoire)</span>}
            </h3>
            {m.consultations === 0 && m.vsmAld + m.vsmOther === 0 ? (
              <p>Aucune consultation remboursée, aucun VSM déposé.</p>
            ) : (
              <dl className="facts">
                <dt>Consultations remboursées</dt>
                <dd>{m.consultations}</dd>
                <dt>Suivies d’un dépôt dans le DMP (objectif {percent(thresholds.deposit)})</dt>
                <dd>
                  <Share
                    share={m.depositShare}
                    count={m.withDeposit}
                    total={m.consultations}
                    met={m.depositMet}
                    threshold={thresholds.deposit}
                  />
                </dd>
                <dt>Suivies d’un message MSSanté (objectif {percent(thresholds.message)})</dt>
                <dd>
                  <Share
                    share={m.messageShare}
                    count={m.withMessage}
                    total={m.consultations}
                    met={m.messageMet}
                    threshold={thresholds.message}
                  />
                </dd>
                <dt>Patients en ALD dont vous avez déposé le VSM</dt>
                <dd>{m.vsmAld}</dd>
                <dt>Autres patients dont vous avez déposé le VSM</dt>
                <dd>{m.vsmOther}</dd>
              </dl>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function IndicatorsContent({ data }: { data: Indicators }) {
  const { thresholds, definitions } = data;
  const active = data.months.some((m) => m.consultations > 0 || m.deposits > 0);
  return (
    <>
      <p className="lead">
        Le forfait structure valorise les cabinets dont au moins {percent(thresholds.deposit)} des
        consultations donnent lieu à l’alimentation du dossier médical partagé (DMP) et au moins{' '}
        {percent(thresholds.message)} à un échange par messagerie sécurisée (MSSanté) avec le patient. Depuis
        2023, le versement du volet de synthèse médicale (VSM) dans le DMP est aussi rémunéré, notamment pour
        vos patients en affection de longue durée (ALD).
      </p>
      {!active ? (
        <p className="notice">
          Aucune consultation remboursée ni aucun dépôt de votre part sur les 12 derniers mois.
        </p>
      ) : (
        <>
          <MonthCards data={data} />
          <div className="indicators-wide">
            <div className="table-scroll" role="region" aria-labelledby="indicators-caption" tabIndex={0}>
              <table className="indicators">
                <caption id="indicators-caption">Vos indicateurs des 12 derniers mois</caption>
                <thead>
                  <tr>
                    <th scope="col">Mois</th>
                    <th scope="col">Consultations remboursées</th>
                    <th scope="col">
                      Suivies d’un dépôt dans le DMP{' '}
                      <span className="hint">(objectif {percent(thresholds.deposit)})</span>
                    </th>
                    <th scope="col">
                      Suivies d’un message MSSanté{' '}
                      <span className="hint">(objectif {percent(thresholds.message)})</span>
                    </th>
                    <th scope="col">Patients en ALD dont vous avez déposé le VSM</th>
                    <th scope="col">Autres patients dont vous avez déposé le VSM</th>
                  </tr>
                </thead>
                <tbody>
                  {data.months.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">
                        {monthLabel(m.month)}
                        {m.provisional && <span className="hint"> (provisoire)</span>}
                      </th>
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
                      <td>{m.vsmAld}</td>
                      <td>{m.vsmOther}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
      <section className="card" aria-labelledby="definitions-title">
        <h2 id="definitions-title">Comment ces chiffres sont calculés</h2>
        <h3>Consultations remboursées</h3>
        <p>{definitions.consultations}</p>
        <h3>Suivies d’un dépôt dans le DMP</h3>
        <p>{definitions.deposit}</p>
        <h3>Suivies d’un message MSSanté</h3>
        <p>{definitions.message}</p>
        <h3>VSM et patients en ALD</h3>
        <p>{definitions.vsm}</p>
        <h3>Mois provisoires</h3>
        <p>{definitions.provisional}</p>
      </section>
    </>
  );
}
