import { useRef, useState } from 'react';
import { api } from '../../shared/api.ts';
import { Alert, Field, Notice, SubmitButton, useForm } from '../../shared/form.tsx';
import { Page } from '../../shared/page.tsx';
import type { SignedInProps } from '../app.tsx';
import { appName } from '../types.ts';
import { NewPasswordFields } from './password-fields.tsx';
import { ChildActivation } from './child-activation.tsx';
import { CloseProfile } from './close-profile.tsx';
import { ProfileSwitcher } from './profile-switcher.tsx';
import { NotificationSettings } from './agenda/notification-settings.tsx';

export function SettingsPage(props: SignedInProps) {
  return (
    <Page title="Paramètres du compte" app={appName}>
      <p>
        Identifiant : <strong>{props.me.account.login}</strong>
      </p>
      <ContactDetails {...props} />
      <PasswordChange />
      <NotificationSettings {...props} />
      <ChildActivation {...props} />
      <ProfileSwitcher {...props} />
      <CloseProfile {...props} />
    </Page>
  );
}

/** Once saved, no password stays on the page (the fields are emptied in place: the focus stays where it was). */
function clearPasswords(form: HTMLFormElement | null) {
  form?.querySelectorAll<HTMLInputElement>('input[type="password"]').forEach((input) => {
    input.value = '';
  });
}

function ContactDetails({ me, refresh }: SignedInProps) {
  const [saved, setSaved] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm(
    async (values) => {
      setSaved(false);
      await api('PUT', '/api/patient/account/contact', {
        email: (values.email ?? '').trim(),
        phone: (values.phone ?? '').replace(/[\s.]/g, ''),
        ...(values.currentPassword ? { currentPassword: values.currentPassword } : {}),
      });
      await refresh();
      setSaved(true);
      clearPasswords(formRef.current);
    },
    (code) =>
      code === 'password-incorrect'
        ? 'currentPassword'
        : code.includes('phone')
          ? 'phone'
          : code.includes('email')
            ? 'email'
            : undefined,
  );
  return (
    <section className="card" aria-labelledby="contact-title">
      <h2 id="contact-title">Mes coordonnées</h2>
      <p className="hint">Les codes de connexion et les notifications sont envoyés à cette adresse e-mail.</p>
      <form ref={formRef} onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        {saved && <Notice>Vos coordonnées sont enregistrées.</Notice>}
        <Field
          name="email"
          type="email"
          label="Adresse e-mail"
          autoComplete="email"
          defaultValue={me.self.email ?? ''}
          required
          errorId={form.errorFor('email')}
        />
        <Field
          name="phone"
          type="tel"
          label="Téléphone mobile"
          optional
          hint="Par exemple 06 12 34 56 78."
          autoComplete="tel"
          defaultValue={me.self.phone ?? ''}
          errorId={form.errorFor('phone')}
        />
        <Field
          name="currentPassword"
          type="password"
          label="Mot de passe actuel"
          hint="Obligatoire pour changer d’adresse e-mail. Un message prévient alors votre ancienne adresse."
          autoComplete="current-password"
          errorId={form.errorFor('currentPassword')}
        />
        <SubmitButton busy={form.busy}>Enregistrer mes coordonnées</SubmitButton>
      </form>
    </section>
  );
}

function PasswordChange() {
  const [saved, setSaved] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm(
    async (values) => {
      setSaved(false);
      if (values.newPassword !== values.newPasswordConfirm)
        return form.fail('Les deux mots de passe saisis ne sont pas identiques.', 'newPasswordConfirm');
      await api('PUT', '/api/patient/account/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      setSaved(true);
      clearPasswords(formRef.current);
    },
    (code) =>
      code === 'password-weak'
        ? 'newPassword'
        : code === 'password-incorrect'
          ? 'currentPassword'
          : undefined,
  );
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Changer mon mot de passe</h2>
      <p className="hint">
        Vos connexions ouvertes sur d’autres appareils seront fermées, et un message de confirmation sera
        envoyé à votre adresse e-mail.
      </p>
      <form ref={formRef} onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        {saved && <Notice>Votre mot de passe est modifié. Vos autres connexions ont été fermées.</Notice>}
        <Field
          name="currentPassword"
          type="password"
          label="Mot de passe actuel"
          autoComplete="current-password"
          required
          errorId={form.errorFor('currentPassword')}
        />
        <NewPasswordFields form={form} name="newPassword" label="Nouveau mot de passe" />
        <SubmitButton busy={form.busy}>Changer mon mot de passe</SubmitButton>
      </form>
    </section>
  );
}
