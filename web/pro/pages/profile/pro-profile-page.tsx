import { Page } from '../../../shared/page.tsx';
import { appName } from '../../types.ts';

export function ProProfilePage(_props: { patientId: string; ins: string }) {
  return (
    <Page title="Profil médical du patient" app={appName}>
      {null}
    </Page>
  );
}
