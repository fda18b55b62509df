import type { SignedInProps } from '../../app.tsx';
import { Page } from '../../../shared/page.tsx';
import { appName } from '../../types.ts';

export function CareHistoryPage(_props: SignedInProps) {
  return (
    <Page title="Mon histoire de santé" app={appName}>
      {null}
    </Page>
  );
}
