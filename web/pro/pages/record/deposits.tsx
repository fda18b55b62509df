import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import { appName } from '../../types.ts';
import type { ResponseOf } from '../../../../src/http/contract.ts';
import type { proRecordContracts } from '../../../../src/http/contracts/record-api.ts';

/** "2026-03" → "mars 2026" */
const monthLabel = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  if (!year || !m) return month;
  return new Date(Date.UTC(year, m - 1, 15)).toLocaleDateString('fr-FR', { month: 'long', year: 'numeric' });
};

export function DepositsPage() {
  const { state } = useLoad<ResponseOf<typeof proRecordContracts.depositsByMonth>>(
    '/api/pro/me/deposits-by-month',
  );
  return (
    <Page title="Mes dépôts par mois" app={appName}>
      <p className="lead">
        Les documents que vous avez vous-même déposés, en tant qu’auteur, dans les dossiers de vos patients.
        Un document qu’un patient a classé dans son dossier depuis un de vos messages n’est pas compté : c’est
        son dépôt, pas le vôtre.
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {state.status === 'loaded' && state.data.months.length === 0 && (
        <p className="notice">Vous n’avez encore déposé aucun document.</p>
      )}
      {state.status === 'loaded' && state.data.months.length > 0 && (
        <table className="history">
          <caption>Documents que vous avez déposés dans les dossiers de vos patients</caption>
          <thead>
            <tr>
              <th scope="col">Mois</th>
              <th scope="col">Documents déposés</th>
            </tr>
          </thead>
          <tbody>
            {state.data.months.map((m) => (
              <tr key={m.month}>
                <td>{monthLabel(m.month)}</td>
                <td>{m.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
