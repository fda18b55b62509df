import { api } from '../../shared/api.ts';
import { Alert, SubmitButton, useForm } from '../../shared/form.tsx';
import { personName } from '../../shared/format.ts';
import { navigate } from '../../shared/router.ts';
import type { SignedInProps } from '../app.tsx';
import { DownloadRecord } from './portability/download-record.tsx';

/** Closing a profile (one's own or a managed child's), with or without a request to delete the data. */
export function CloseProfile({ me, profile, refresh, signedOut, chooseProfile }: SignedInProps) {
  const own = profile.id === me.self.id;
  const form = useForm(async (values) => {
    if (values.confirm !== 'yes')
      return form.fail('Cochez la case de confirmation pour clôturer le profil.', 'confirm');
    await api('POST', `/api/patient/profiles/${encodeURIComponent(profile.id)}/close`, {
      deleteData: values.deleteData === 'yes',
    });
    if (own) {
      signedOut();
      navigate('/?cloture=1');
    } else {
      chooseProfile(me.self.id);
      await refresh();
    }
  });
  if (profile.state === 'closed') return null;
  const whose = own ? 'mon profil' : `le profil de ${personName(profile)}`;
  return (
    <section className="card" aria-labelledby="close-title">
      <h2 id="close-title">Clôturer {whose}</h2>
      <p>
        La clôture ferme l’accès au profil : plus personne ne pourra le consulter ni l’alimenter. Sans demande
        de suppression, le dossier médical est conservé 10 ans puis supprimé. Avant de clôturer, vous pouvez
        en télécharger une copie.
      </p>
      <DownloadRecord profile={profile} own={own} level={3} />
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        <fieldset>
          <legend>Que faire des données ?</legend>
          <label className="choice">
            <input type="radio" name="deleteData" value="no" defaultChecked />
            <span>Conserver les données 10 ans (durée légale), sans accès</span>
          </label>
          <label className="choice">
            <input type="radio" name="deleteData" value="yes" />
            <span>Demander la suppression des données</span>
          </label>
        </fieldset>
        <label className="choice">
          <input
            type="checkbox"
            name="confirm"
            value="yes"
            aria-invalid={form.errorFor('confirm') ? true : undefined}
            aria-describedby={form.errorFor('confirm')}
          />
          <span>Je confirme vouloir clôturer {whose}. Cette action est définitive.</span>
        </label>
        <SubmitButton busy={form.busy} danger>
          {own ? 'Clôturer mon profil' : 'Clôturer ce profil'}
        </SubmitButton>
      </form>
    </section>
  );
}
