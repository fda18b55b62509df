import { useId } from 'react';
import { api } from '../../../shared/api.ts';
import { Alert, SubmitButton, useForm } from '../../../shared/form.tsx';
import { modeLabels, type Access, type EmergencyProps } from '../../emergency.tsx';

/** Switch the session to an emergency mode (with its mandatory reason) or back to normal access. */
export function EmergencyControl({ access, setAccess, onChange }: EmergencyProps & { onChange: () => void }) {
  const reasonId = useId();
  const form = useForm(
    async (values) => {
      if (access.mode !== 'normal') {
        setAccess(await api<Access>('DELETE', '/api/pro/emergency'));
        return onChange();
      }
      if (!values.reason?.trim()) return form.fail('Indiquez le motif de l’accès en urgence.', 'reason');
      setAccess(
        await api<Access>('POST', '/api/pro/emergency', { mode: values.mode, reason: values.reason }),
      );
      onChange();
    },
    (code) => (code.includes('reason') ? 'reason' : undefined),
  );
  return (
    <section className="card emergency-control" aria-labelledby="emergency-title">
      <h2 id="emergency-title">Accès en urgence</h2>
      <form onSubmit={form.onSubmit} noValidate>
        <Alert id={form.errorId} message={form.error} />
        {access.mode === 'normal' ? (
          <>
            <p className="hint">
              En situation d'urgence, vous pouvez accéder au dossier sans accord préalable si le patient ne
              l'a pas interdit. Le motif est enregistré et le patient est prévenu par e-mail.
            </p>
            <fieldset>
              <legend>Mode d'accès</legend>
              {(['bris-de-glace', 'centre-de-regulation'] as const).map((mode, i) => (
                <label key={mode} className="choice">
                  <input type="radio" name="mode" value={mode} defaultChecked={i === 0} />
                  <span>{modeLabels[mode]}</span>
                </label>
              ))}
            </fieldset>
            <div className={form.errorFor('reason') ? 'field field-error' : 'field'}>
              <label htmlFor={reasonId}>Motif (obligatoire)</label>
              <textarea
                id={reasonId}
                name="reason"
                rows={3}
                maxLength={500}
                required
                aria-invalid={form.errorFor('reason') ? true : undefined}
                aria-describedby={form.errorFor('reason')}
              />
            </div>
            <SubmitButton busy={form.busy} danger>
              Activer l'accès en urgence
            </SubmitButton>
          </>
        ) : (
          <>
            <p>
              <strong>{modeLabels[access.mode]}</strong> — motif : {access.reason}
            </p>
            <SubmitButton busy={form.busy}>Mettre fin à l'accès en urgence</SubmitButton>
          </>
        )}
      </form>
    </section>
  );
}
