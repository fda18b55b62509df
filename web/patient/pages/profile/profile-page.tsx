import type { SignedInProps } from '../../app.tsx';
import { Page } from '../../../shared/page.tsx';
import { appName } from '../../types.ts';

export function ProfilePage(_props: SignedInProps & { section: string | null }) {
  return (
    <Page title="Profil médical" app={appName}>
      {null}
    </Page>
  );
}
