import { useEffect, useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading, Page } from '../../../shared/page.tsx';
import type { SignedInProps } from '../../app.tsx';
import { appName } from '../../types.ts';
import { ProfileSwitcher } from '../profile-switcher.tsx';
import { RecordNav, recordApi } from '../record/record-nav.tsx';
import {
  CareFilters,
  CareList,
  careQuery,
  emptyFilter,
  type CareFilter,
  type CareHistory,
} from './care-history-view.tsx';

/** Hide or show the history to professionals (the profile's mask of the 'care-history' area). */
function MaskToggle({
  history,
  path,
  onChanged,
}: {
  history: CareHistory;
  path: string;
  onChanged: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const toggle = async (masked: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      await api('PUT', path, { masked });
      await onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card care-mask">
      <div className="choice">
        <input
          id="care-masked"
          type="checkbox"
          checked={history.masked}
          // Not `disabled` while saving: that would drop the keyboard focus from it.
          aria-disabled={busy || undefined}
          aria-describedby="care-masked-hint"
          onChange={(e) => {
            if (!busy) void toggle(e.target.checked);
          }}
        />
        <label htmlFor="care-masked">Masquer mon histoire de santé aux professionnels de santé</label>
      </div>
      <p id="care-masked-hint" className="hint">
        {history.masked
          ? 'Masquée : seuls les professionnels que vous avez désignés administrateurs de votre dossier peuvent la consulter.'
          : 'Visible par les professionnels autorisés à consulter votre dossier, selon leur profession.'}
      </p>
      <Alert message={error} />
    </div>
  );
}

/**
 * "Mon histoire de santé": the care reimbursed by the Assurance Maladie, browsed by year, month and category, and
 * the choice to hide it from professionals.
 */
export function CareHistoryPage(props: SignedInProps) {
  const [filter, setFilter] = useState<CareFilter>(emptyFilter);
  const [offset, setOffset] = useState(0);
  const { state, reload } = useLoad<CareHistory>(
    recordApi(props.profile, `/care-history${careQuery(filter, offset)}`),
  );
  // Keep the last answer on screen while the next loads: the filters keep their focus.
  const [shown, setShown] = useState<CareHistory>();
  useEffect(() => {
    if (state.status === 'loaded') setShown(state.data);
  }, [state]);
  const choose = (next: CareFilter) => {
    setFilter(next);
    setOffset(0);
  };
  return (
    <Page title="Mon histoire de santé" app={appName}>
      <ProfileSwitcher {...props} />
      <RecordNav current="/dossier-medical/histoire-de-sante" />
      <p className="lead">
        Les soins qui vous ont été remboursés par l’Assurance Maladie : consultations, examens de biologie,
        médicaments, soins dentaires, hospitalisations, radiologie, appareillage et vaccins.
      </p>
      {state.status === 'loading' && !shown && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {shown && state.status !== 'failed' && (
        <>
          <MaskToggle
            history={shown}
            path={recordApi(props.profile, '/profile/masks/care-history')}
            onChanged={reload}
          />
          {shown.facets.years.length === 0 ? (
            <p className="notice">L’Assurance Maladie n’a encore transmis aucun soin remboursé.</p>
          ) : (
            <>
              <CareFilters history={shown} filter={filter} onChange={choose} />
              <CareList history={shown} offset={offset} onOffset={setOffset} />
            </>
          )}
        </>
      )}
    </Page>
  );
}
