import { Field, type FormState } from '../../shared/form.tsx';

export const passwordRules = (
  <ul className="rules" id="password-rules">
    <li>au moins 12 caractères ;</li>
    <li>au moins une lettre et un chiffre ;</li>
    <li>évitez un mot de passe déjà utilisé ailleurs.</li>
  </ul>
);

/**
 * A password to choose and its confirmation (`name` and `nameConfirm`), with the rules beside it: the same two
 * fields at activation, in the account settings and after « mot de passe oublié ».
 */
export function NewPasswordFields({
  form,
  name,
  label,
}: {
  form: FormState;
  name: string;
  /** « Mot de passe » or « Nouveau mot de passe »; the confirmation reads « Confirmer le … ». */
  label: string;
}) {
  return (
    <>
      <Field
        name={name}
        type="password"
        label={label}
        hint={passwordRules}
        autoComplete="new-password"
        required
        errorId={form.errorFor(name)}
      />
      <Field
        name={`${name}Confirm`}
        type="password"
        label={`Confirmer le ${label.charAt(0).toLowerCase()}${label.slice(1)}`}
        autoComplete="new-password"
        required
        errorId={form.errorFor(`${name}Confirm`)}
      />
    </>
  );
}
