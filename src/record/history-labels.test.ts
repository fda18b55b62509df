import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  auditActions,
  type AuditAccessMode,
  type AuditActorKind,
  type AuditOutcome,
} from '../audit/index.ts';
import {
  accessModeLabels,
  actionsOfKind,
  actorKindLabels,
  historyActionLabel,
  historyActionLabels,
  historyKindLabels,
  historyKinds,
  kindOfAction,
  outcomeLabels,
  UNKNOWN_ACTION_LABEL,
} from './history-labels.ts';

const srcDir = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

/** Where the action code sits among the arguments of the calls that build or refuse a trace. */
const actionArgument: Readonly<Record<string, number>> = {
  trace: 2,
  auditMailbox: 3,
  openRecord: 4,
  openDocument: 4,
};

/** The top-level arguments of the call whose parenthesis opens just before `start`. */
function callArguments(text: string, start: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = start; i < text.length; i += 1) {
    const c = text[i]!;
    if ('([{'.includes(c)) depth += 1;
    if (')]}'.includes(c)) {
      if (depth === 0) return [...out, current];
      depth -= 1;
    }
    if (c === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += c;
  }
  return out;
}

/**
 * The action codes written as literals in src/ (`'read'`, or `masked ? 'mask' : 'unmask'`) where traces are built or
 * refused. Codes passed through typed variables are held to AuditAction by the compiler.
 */
function actionCodesWrittenInSource(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\b(trace|auditMailbox|openRecord|openDocument)\(/g)) {
      const argument = callArguments(text, match.index + match[0].length)[actionArgument[match[1]!]!];
      for (const literal of argument?.matchAll(/'([^']+)'/g) ?? []) codes.add(literal[1]!);
    }
  }
  return codes;
}

/** A stored code shown as is: lower-case words joined by hyphens. */
const looksLikeCode = (text: string) => /^[a-z]+(-[a-z]+)*$/.test(text);

describe('the access history in the patient’s words', () => {
  it('says every action code the system can write in French, and places it in a kind of action', () => {
    const written = actionCodesWrittenInSource();
    // The scan itself must keep finding the traces (a rotten pattern would find nothing and prove nothing).
    expect(written.size).toBeGreaterThanOrEqual(22);
    for (const code of written)
      expect(auditActions, `${code} is written but not a known action`).toContain(code);
    for (const code of auditActions) {
      const label = historyActionLabels[code];
      expect(label, `no French label for ${code}`).toBeTruthy();
      expect(label).not.toBe(code);
      expect(looksLikeCode(label)).toBe(false);
      expect(historyActionLabel(code, undefined)).toBe(label);
      expect(historyKinds, `no kind for ${code}`).toContain(kindOfAction[code]);
    }
    expect(Object.keys(historyActionLabels).sort()).toEqual([...auditActions].sort());
  });

  it('gives every kind of action a name and at least one action', () => {
    for (const kind of historyKinds) {
      expect(historyKindLabels[kind]).toMatch(/^[A-ZÉ]/);
      expect(actionsOfKind(kind).length).toBeGreaterThan(0);
    }
    expect(actionsOfKind('documents')).toEqual(['search', 'read', 'retrieve']);
    expect(actionsOfKind('emergency')).toEqual(['emergency-start', 'emergency-end']);
  });

  it('says modes, outcomes and actors in French too', () => {
    const modes: AuditAccessMode[] = [
      'normal',
      'bris-de-glace',
      'centre-de-regulation',
      'patient',
      'application',
      'system',
    ];
    for (const mode of modes) expect(looksLikeCode(accessModeLabels[mode])).toBe(false);
    const outcomes: AuditOutcome[] = ['success', 'denied', 'error'];
    for (const outcome of outcomes) expect(looksLikeCode(outcomeLabels[outcome])).toBe(false);
    const actors: AuditActorKind[] = [
      'professional',
      'patient',
      'representative',
      'insurer',
      'auditor',
      'app',
      'system',
    ];
    for (const kind of actors) expect(looksLikeCode(actorKindLabels[kind])).toBe(false);
  });

  it('is more precise where the trace says more, and never shows an unknown code', () => {
    expect(historyActionLabel('mask', 'ProfileSection')).toBe('Masquage d’une rubrique du profil médical');
    expect(historyActionLabel('unmask', 'CareHistory')).toBe('Démasquage de l’histoire de santé');
    expect(historyActionLabel('export', 'Patient', { format: 'history-pdf' })).toBe(
      'Téléchargement de l’historique des accès (PDF)',
    );
    expect(historyActionLabel('export', 'Patient', { format: 'unknown-format' })).toBe(
      'Téléchargement d’une copie du dossier',
    );
    expect(historyActionLabel('settings', 'Patient', { notifications: 'email' })).toBe(
      'Modification des préférences de notification',
    );
    expect(historyActionLabel('teleport', undefined)).toBe(UNKNOWN_ACTION_LABEL);
    expect(historyActionLabel('toString', undefined)).toBe(UNKNOWN_ACTION_LABEL);
  });
});
