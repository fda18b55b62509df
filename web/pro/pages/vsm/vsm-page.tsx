import { Page } from '../../../shared/page.tsx';
import { appName } from '../../types.ts';

export function VsmPage(_props: { patientId: string; ins: string }) {
  return (
    <Page title="Volet de synthèse médicale" app={appName}>
      {null}
    </Page>
  );
}
