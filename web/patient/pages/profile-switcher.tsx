import { useId } from 'react';
import { personName } from '../../shared/format.ts';
import type { SignedInProps } from '../app.tsx';
import { profilesOf } from '../session.ts';

/** Shown only to a legal representative: whose profile is on screen. */
export function ProfileSwitcher({ me, profile, chooseProfile }: SignedInProps) {
  const id = useId();
  if (me.managed.length === 0) return null;
  return (
    <div className="card field">
      <label htmlFor={id}>Profil affiché</label>
      <select id={id} value={profile.id} onChange={(event) => chooseProfile(event.target.value)}>
        {profilesOf(me).map((p) => (
          <option key={p.id} value={p.id}>
            {personName(p)}
            {p.id === me.self.id ? ' (mon profil)' : ' (enfant)'}
          </option>
        ))}
      </select>
    </div>
  );
}
