import type { ChangeEvent, ReactNode } from 'react';
import {
  allergySeverities,
  commonMeasurements,
  commonRoutes,
  familyRelatives,
  pickListOf,
  relativeLabels,
  sectionCoding,
  severityLabels,
  unknownCodeMessages,
  vsmCodeSystems,
  type ItemRow,
  type PickedCode,
  type RowControl,
  type VsmCodeSystem,
} from './vsm-items.ts';

/** The date fields' names, which say what the date is in each section. */
const startLabels: Record<string, string> = {
  medicalHistory: 'Date',
  allergies: 'Depuis',
  riskFactors: 'Date',
  vitalSigns: 'Date de la mesure',
};

export interface RowControls {
  /** The id (and form name) of one of the row's controls. */
  readonly idOf: (control: RowControl) => string;
  /** Id of the form's error message when this control is the one at fault. */
  readonly errorFor: (control: RowControl) => string | undefined;
  /** Id of the section's hint on dates. */
  readonly dateHintId: string;
  /** The system the server said it does not know the code (or product) in, if it did. */
  readonly unknown: (control: 'code' | 'productCode') => VsmCodeSystem | undefined;
  readonly checkCode: (control: 'code' | 'productCode', system: VsmCodeSystem, code: string) => void;
}

interface RowProps {
  readonly sectionKey: string;
  readonly row: ItemRow;
  readonly index: number;
  readonly controls: RowControls;
  readonly onChange: (row: ItemRow) => void;
  readonly onRemove: () => void;
}

/**
 * A labelled control of a row, marked invalid when the form's error is about it (`error`: the error's id) or when it
 * carries a message of its own (`message`, in a live region: the code check answers after the doctor has moved on).
 */
function Control({
  label,
  id,
  error,
  hint,
  message,
  wide,
  children,
}: {
  label: string;
  id: string;
  error: string | undefined;
  hint?: string | undefined;
  message?: string | undefined;
  wide?: boolean | undefined;
  children: (props: {
    id: string;
    name: string;
    'aria-invalid': true | undefined;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}) {
  const messageId = `${id}-message`;
  const describedBy = [hint, message ? messageId : undefined, error].filter(Boolean).join(' ');
  const invalid = error !== undefined || Boolean(message);
  return (
    <div className={`field${invalid ? ' field-error' : ''}${wide ? ' vsm-wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        name: id,
        'aria-invalid': invalid || undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {message !== undefined && (
        <p id={messageId} className="field-message" aria-live="polite">
          {message}
        </p>
      )}
    </div>
  );
}

/** The options of a short list, with the row's own code first when the list does not have it (a prefilled one). */
function pickOptions(list: readonly PickedCode[], code: string, display: string, none: string) {
  const own = code !== '' && !list.some((p) => p.code === code) ? [{ code, label: display || code }] : [];
  return (
    <>
      <option value="">{none}</option>
      {[...own, ...list].map((p) => (
        <option key={p.code} value={p.code}>
          {p.label}
        </option>
      ))}
    </>
  );
}

/** One item of a section: its label and, per the section, its code, dates and details. */
export function VsmItemRow({ sectionKey, row, index, controls, onChange, onRemove }: RowProps) {
  const coding = sectionCoding[sectionKey] ?? { systems: [], fields: [] };
  const has = (field: (typeof coding.fields)[number]) => coding.fields.includes(field);
  const set = (patch: Partial<ItemRow>) => onChange({ ...row, ...patch });
  const text = (control: RowControl & keyof ItemRow) => ({
    value: row[control],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set({ [control]: e.target.value }),
  });
  const { idOf, errorFor } = controls;
  const input = (label: string, control: RowControl, extra: { wide?: boolean; date?: boolean } = {}) => (
    <Control
      label={label}
      id={idOf(control)}
      error={errorFor(control)}
      hint={extra.date ? controls.dateHintId : undefined}
      wide={extra.wide}
    >
      {(props) => <input type="text" {...props} {...text(control)} />}
    </Control>
  );
  const pickList = pickListOf(sectionKey);
  const system = row.system === '' ? undefined : row.system;
  const unknownCode = controls.unknown('code');
  const unknownProduct = controls.unknown('productCode');

  return (
    <fieldset className="vsm-item">
      <legend>Élément {index + 1}</legend>
      <div className="vsm-item-fields">
        {input('Libellé', 'text', { wide: true })}
        {has('code') && pickList && (
          <Control
            label={sectionKey === 'vitalSigns' ? 'Mesure' : 'Sujet'}
            id={idOf('code')}
            error={errorFor('code')}
          >
            {(props) => (
              <select
                {...props}
                value={row.code}
                onChange={(e) => {
                  const picked = pickList.find((p) => p.code === e.target.value);
                  const measurement = commonMeasurements.find((m) => m.code === picked?.code);
                  set({
                    system: 'LOINC',
                    code: e.target.value,
                    display: picked?.label ?? '',
                    text: row.text.trim() === '' && picked ? picked.label : row.text,
                    unit: measurement?.unit ?? row.unit,
                  });
                }}
              >
                {pickOptions(pickList, row.code, row.display, 'Sans code')}
              </select>
            )}
          </Control>
        )}
        {has('code') && !pickList && coding.systems.length > 1 && (
          <Control label="Terminologie" id={idOf('system')} error={errorFor('system')}>
            {(props) => (
              <select
                {...props}
                value={row.system}
                onChange={(e) => {
                  const chosen = vsmCodeSystems.find((s) => s === e.target.value);
                  set({ system: chosen ?? '' });
                  if (chosen && row.code.trim() !== '') controls.checkCode('code', chosen, row.code);
                }}
              >
                {coding.systems.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Control>
        )}
        {has('code') && !pickList && system && (
          <>
            <Control
              label={coding.systems.length > 1 ? 'Code' : `Code ${system}`}
              id={idOf('code')}
              error={errorFor('code')}
              message={unknownCode ? unknownCodeMessages[unknownCode] : ''}
            >
              {(props) => (
                <input
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  {...props}
                  {...text('code')}
                  onBlur={() => controls.checkCode('code', system, row.code)}
                />
              )}
            </Control>
            {input('Libellé du code', 'display')}
          </>
        )}
        {has('relative') && (
          <Control label="Lien de parenté" id={idOf('relative')} error={errorFor('relative')}>
            {(props) => (
              <select
                {...props}
                value={row.relative}
                onChange={(e) => set({ relative: familyRelatives.find((r) => r === e.target.value) ?? '' })}
              >
                <option value="">Non précisé</option>
                {familyRelatives.map((r) => (
                  <option key={r} value={r}>
                    {relativeLabels[r]}
                  </option>
                ))}
              </select>
            )}
          </Control>
        )}
        {has('product') && (
          <>
            <Control
              label="Spécialité (code CIS)"
              id={idOf('productCode')}
              error={errorFor('productCode')}
              message={unknownProduct ? unknownCodeMessages[unknownProduct] : ''}
            >
              {(props) => (
                <input
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  {...props}
                  {...text('productCode')}
                  onBlur={() => controls.checkCode('productCode', 'CIS', row.productCode)}
                />
              )}
            </Control>
            {input('Nom de la spécialité', 'productDisplay')}
          </>
        )}
        {has('route') && (
          <Control label="Voie d’administration" id={idOf('routeCode')} error={errorFor('routeCode')}>
            {(props) => (
              <select
                {...props}
                value={row.routeCode}
                onChange={(e) => {
                  const picked = commonRoutes.find((r) => r.code === e.target.value);
                  set({ routeCode: e.target.value, routeDisplay: picked?.label ?? '' });
                }}
              >
                {pickOptions(commonRoutes, row.routeCode, row.routeDisplay, 'Non précisée')}
              </select>
            )}
          </Control>
        )}
        {has('dosage') && input('Posologie', 'dosage')}
        {has('reaction') && input('Réaction', 'reaction')}
        {has('severity') && (
          <Control label="Sévérité" id={idOf('severity')} error={errorFor('severity')}>
            {(props) => (
              <select
                {...props}
                value={row.severity}
                onChange={(e) => set({ severity: allergySeverities.find((s) => s === e.target.value) ?? '' })}
              >
                <option value="">Non précisée</option>
                {allergySeverities.map((s) => (
                  <option key={s} value={s}>
                    {severityLabels[s]}
                  </option>
                ))}
              </select>
            )}
          </Control>
        )}
        {has('value') && sectionKey === 'vitalSigns' && (
          <>
            <Control label="Valeur" id={idOf('quantity')} error={errorFor('quantity')}>
              {(props) => <input type="text" inputMode="decimal" {...props} {...text('quantity')} />}
            </Control>
            {input('Unité (UCUM)', 'unit')}
          </>
        )}
        {has('value') && sectionKey !== 'vitalSigns' && input('Valeur', 'valueText')}
        {has('start') && input(startLabels[sectionKey] ?? 'Début', 'start', { date: true })}
        {has('end') && input('Fin', 'end', { date: true })}
      </div>
      <button
        type="button"
        className="button-secondary vsm-remove"
        aria-label={`Retirer l’élément ${index + 1}`}
        onClick={onRemove}
      >
        Retirer
      </button>
    </fieldset>
  );
}
