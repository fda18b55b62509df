import { useState } from 'react';
import { api } from '../../shared/api.ts';
import { Alert, Field, Notice, SubmitButton, useForm } from '../../shared/form.tsx';
import { compact, personName } from '../../shared/format.ts';
import type { SignedInProps } from '../app.tsx';
import type { Profile } from '../types.ts';

/** A legal representative activates their child's profile with the child's code provisoire. */
export function ChildActivation({ refresh, chooseProfile }: SignedInProps) {
  const [activated, setActivated] = useState<Profile>();
  const form = useForm(
    async (values) => {
      setActivated(undefined);
      const child = await api<Profile>('POST', '/api/patient/children/activate', {
        childNir: compact(values.childNir ?? ''),
        code: compact(values.code ?? ''),
      });
      await refresh();
      setActivated(child);
    },
    (code) => (code === 'ins-invalid' ? 'childNir' : code.startsWith('activation-code') ? 'code' : undefined),
  );
  return (
    <section className="card" aria-labelledby="child-title">
      <h2 id="child-title">Activer le profil de mon enfant</h2>
      <p className="hint">
        Réservé au représentant légal déclaré auprès de l’Assurance Maladie. Utilisez le code provisoire reçu
        pour votre enfant.
      </p>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        {activated && (
          <Notice>
            Le profil de {personName(activated)} est activé.{' '}
            <button type="button" className="link-button" onClick={() => chooseProfile(activated.id)}>
              Afficher son profil
            </button>
          </Notice>
        )}
        <Field
          name="childNir"
          label="Numéro de sécurité sociale de l’enfant"
          hint="15 chiffres, clé comprise ; les espaces sont acceptés."
          autoComplete="off"
          required
          errorId={form.errorFor('childNir')}
        />
        <Field
          name="code"
          label="Code provisoire de l’enfant"
          autoComplete="off"
          required
          errorId={form.errorFor('code')}
        />
        <SubmitButton busy={form.busy}>Activer le profil de mon enfant</SubmitButton>
      </form>
    </section>
  );
}
