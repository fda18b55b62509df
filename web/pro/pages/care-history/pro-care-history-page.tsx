import { Page } from '../../../shared/page.tsx';
import { appName } from '../../types.ts';

export function ProCareHistoryPage(_props: { patientId: string; ins: string }) {
  return (
    <Page title="Histoire de santé du patient" app={appName}>
      {null}
    </Page>
  );
}
