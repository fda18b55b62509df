import { useId, useRef, useState } from 'react';
import { api } from '../../../shared/api.ts';
import { Alert, SubmitButton, useForm } from '../../../shared/form.tsx';
import {
  emergencyApi,
  modeLabels,
  normalAccess,
  type Access,
  type EmergencyProps,
} from '../../emergency.tsx';

/**
 * Start an emergency access to this patient's record (bris de glace with its mandatory reason; SAMU regulation
 * for a regulator), or end it. It concerns this patient only. The form stays folded behind one button until the
 * professional asks for it: an emergency access is the exception, not a field of every record page.
 */
export function EmergencyControl({
  patientId,
  access,
  setAccess,
  onChange,
}: EmergencyProps & { patientId: string; onChange: () => void }) {
  const reasonId = useId();
  const formId = useId();
  const [shown, setShown] = useState(false);
  const introRef = useRef<HTMLParagraphElement>(null);
  const modes = access.regulator
    ? (['bris-de-glace', 'centre-de-regulation'] as const)
    : (['bris-de-glace'] as const);
  const form = useForm(
    async (values) => {
      if (access.mode !== 'normal') {
        await api('DELETE', emergencyApi(patientId));
        setAccess(normalAccess(access.regulator));
        setShown(false);
        return onChange();
      }
      if (values.mode !== 'centre-de-regulation' && !values.reason?.trim())
        return form.fail('Indiquez le motif de l’accès en urgence.', 'reason');
      setAccess(
        await api<Access>('POST', emergencyApi(patientId), { mode: values.mode, reason: values.reason }),
      );
      onChange();
    },
    (code) => (code.includes('reason') ? 'reason' : undefined),
  );
  return (
    <section className="card emergency-control" aria-labelledby="emergency-title">
      <h2 id="emergency-title">Accès en urgence</h2>
      {access.mode === 'normal' && !shown && (
        <button
          type="button"
          className="button-secondary"
          aria-expanded={false}
          aria-controls={formId}
          onClick={() => {
            setShown(true);
            // The button goes away: the focus moves to what the form says first.
            requestAnimationFrame(() => introRef.current?.focus());
          }}
        >
          Accès en urgence (bris de glace)
        </button>
      )}
      <form id={formId} onSubmit={form.onSubmit} noValidate hidden={access.mode === 'normal' && !shown}>
        <Alert id={form.errorId} message={form.error} />
        {access.mode === 'normal' ? (
          <>
            <p className="hint" ref={introRef} tabIndex={-1}>
              En situation d’urgence, vous pouvez accéder au dossier de ce patient sans accord préalable s’il
              ne l’a pas interdit, pour quelques heures. Le motif est enregistré et le patient est prévenu par
              e-mail.
            </p>
            <fieldset>
              <legend>Mode d’accès</legend>
              {modes.map((mode, i) => (
                <label key={mode} className="choice">
                  <input type="radio" name="mode" value={mode} defaultChecked={i === 0} />
                  <span>{modeLabels[mode]}</span>
                </label>
              ))}
            </fieldset>
            <div className={form.errorFor('reason') ? 'field field-error' : 'field'}>
              <label htmlFor={reasonId}>Motif (obligatoire pour le bris de glace)</label>
              <textarea
                id={reasonId}
                name="reason"
                rows={3}
                maxLength={500}
                aria-invalid={form.errorFor('reason') ? true : undefined}
                aria-describedby={form.errorFor('reason')}
              />
            </div>
            <p className="actions">
              <SubmitButton busy={form.busy} danger>
                Activer l’accès en urgence
              </SubmitButton>{' '}
              <button type="button" className="button-secondary" onClick={() => setShown(false)}>
                Annuler
              </button>
            </p>
          </>
        ) : (
          <>
            <p>
              <strong>{modeLabels[access.mode]}</strong>
              {access.reason && <> — motif : {access.reason}</>}
            </p>
            <SubmitButton busy={form.busy}>Mettre fin à l’accès en urgence</SubmitButton>
          </>
        )}
      </form>
    </section>
  );
}
