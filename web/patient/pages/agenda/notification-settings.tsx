import { useState } from 'react';
import { api, messageOf } from '../../../shared/api.ts';
import { useLoad } from '../../../shared/data.ts';
import { Alert } from '../../../shared/form.tsx';
import { Loading } from '../../../shared/page.tsx';
import type { SignedInProps } from '../../app.tsx';
import type {
  NotificationTopic as Topic,
  NotificationsView as Preferences,
} from '../../../../src/http/contracts/agenda-api.ts';

/** The "Notifications" section of the settings: which e-mails this profile's owner (or representative) wants. */
export function NotificationSettings(props: SignedInProps) {
  const path = `/api/patient/notifications/${encodeURIComponent(props.profile.id)}`;
  const { state, reload } = useLoad<Preferences>(path);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const change = async (topic: Topic, value: boolean) => {
    setMessage(undefined);
    try {
      await api('PUT', path, { [topic]: value });
      await reload();
      setMessage({ ok: true, text: 'Vos préférences de notification sont enregistrées.' });
    } catch (e) {
      setMessage({ ok: false, text: messageOf(e) });
    }
  };
  return (
    <section className="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <p className="hint">
        {props.profile.id === props.me.self.id
          ? ''
          : `Pour le profil de ${props.profile.firstNames.split(' ')[0]}, dont vous êtes représentant légal. `}
        Les e-mails disent seulement qu’une information vous attend dans votre espace, jamais son contenu.
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'failed' && <Alert message={state.message} />}
      {message && !message.ok && <Alert message={message.text} />}
      <div role="status">{message?.ok && <p className="success">{message.text}</p>}</div>
      {state.status === 'loaded' && (
        <fieldset>
          <legend>M’envoyer un e-mail pour :</legend>
          {state.data.topics.map(({ topic, label }) => (
            <label key={topic} className="choice">
              <input
                type="checkbox"
                checked={state.data.preferences[topic]}
                onChange={(e) => void change(topic, e.target.checked)}
              />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
      )}
    </section>
  );
}
