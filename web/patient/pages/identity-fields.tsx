import { Field, type FormState } from '../../shared/form.tsx';
import { compact } from '../../shared/format.ts';

/**
 * Which field an identity error is about (codes of the patient API). A failed identification names no field:
 * the server does not say which of the three was wrong.
 */
export function identityFieldOf(code: string): string | undefined {
  if (code === 'ins-invalid') return 'nir';
  if (code.startsWith('activation-code')) return 'code';
  return undefined;
}

/** The identity proof of the activation letter, read tolerantly (spaces, dots and dashes ignored). */
export function identityOf(values: Record<string, string>) {
  return {
    nir: compact(values.nir ?? ''),
    vitaleSerial: compact(values.vitaleSerial ?? ''),
    ...(values.code === undefined ? {} : { code: compact(values.code) }),
  };
}

export function IdentityFields({ form, withCode }: { form: FormState; withCode: boolean }) {
  return (
    <>
      <Field
        name="nir"
        label="Numéro de sécurité sociale"
        hint="Les 15 chiffres inscrits sur votre carte Vitale, clé comprise (par exemple 2 79 03 51 215 189 89). Les espaces sont acceptés."
        autoComplete="off"
        inputMode="text"
        spellCheck={false}
        required
        errorId={form.errorFor('nir')}
      />
      <Field
        name="vitaleSerial"
        label="Numéro de série de la carte Vitale"
        hint="Au dos de votre carte Vitale, sous la puce."
        autoComplete="off"
        spellCheck={false}
        required
        errorId={form.errorFor('vitaleSerial')}
      />
      {withCode && (
        <Field
          name="code"
          label="Code provisoire"
          hint="Le code reçu par courrier ou par e-mail de l’Assurance Maladie."
          autoComplete="one-time-code"
          spellCheck={false}
          required
          errorId={form.errorFor('code')}
        />
      )}
    </>
  );
}
