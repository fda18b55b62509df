import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The habilitation matrix (arrêté du 26 octobre 2023): profession (+ specialty) × document type →
 * may read. Kept as versioned data (`habilitation-matrix.v1.json`) so that the official table can
 * replace it without code (`CARNET_HABILITATION_MATRIX`, read by src/config).
 */
const typeList = z.array(z.string().min(1)).readonly();

const accessSchema = z
  .object({
    basis: z.enum(['arrêté', 'default']),
    note: z.string().optional(),
    allow: typeList.optional(),
    deny: typeList.optional(),
  })
  .refine((r) => (r.allow === undefined) !== (r.deny === undefined), {
    message: 'each rule needs exactly one of "allow" or "deny"',
  });

const ruleSchema = z.intersection(
  accessSchema,
  z.object({ profession: z.string().min(1), specialty: z.string().min(1).optional() }),
);

const matrixSchema = z
  .object({
    version: z.string().min(1),
    source: z.string().min(1),
    notes: z.array(z.string()).default([]),
    defaults: accessSchema,
    rules: z.array(ruleSchema),
  })
  .refine(
    (m) => new Set(m.rules.map((r) => `${r.profession}/${r.specialty ?? ''}`)).size === m.rules.length,
    { message: 'two rules for the same profession and specialty' },
  );

export type HabilitationMatrix = z.infer<typeof matrixSchema>;
export type HabilitationAccess = { readonly allow: readonly string[] } | { readonly deny: readonly string[] };

export const defaultHabilitationMatrixPath = fileURLToPath(
  new URL('./habilitation-matrix.v1.json', import.meta.url),
);

/** Reads and validates a matrix file; throws an Error naming the file and the first problem. */
export function loadHabilitationMatrix(path: string = defaultHabilitationMatrixPath): HabilitationMatrix {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`habilitation matrix ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseHabilitationMatrix(raw, path);
}

export function parseHabilitationMatrix(raw: unknown, origin = 'matrix'): HabilitationMatrix {
  const parsed = matrixSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`habilitation matrix ${origin}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
  }
  return deepFreeze(parsed.data);
}

/** The rule for a profession: the specialty row, else the profession row, else the defaults. */
export function habilitationFor(
  matrix: HabilitationMatrix,
  professionCode: string,
  specialtyCode: string | undefined,
): HabilitationAccess {
  const rule =
    (specialtyCode !== undefined &&
      matrix.rules.find((r) => r.profession === professionCode && r.specialty === specialtyCode)) ||
    matrix.rules.find((r) => r.profession === professionCode && r.specialty === undefined) ||
    matrix.defaults;
  return rule.allow !== undefined ? { allow: rule.allow } : { deny: rule.deny ?? [] };
}

export function isTypeAllowed(
  matrix: HabilitationMatrix,
  professionCode: string,
  specialtyCode: string | undefined,
  typeCode: string,
): boolean {
  const access = habilitationFor(matrix, professionCode, specialtyCode);
  return 'allow' in access ? access.allow.includes(typeCode) : !access.deny.includes(typeCode);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The matrix the policy uses unless given another: the bundled v1 file until the process's configuration
 * chooses one (`installHabilitationMatrix`, called where the app context is built). Frozen; the binding is live, so
 * the decisions that default to it see the configured one.
 */
export let activeHabilitationMatrix: HabilitationMatrix = loadHabilitationMatrix(
  defaultHabilitationMatrixPath,
);

/** Loads the configured matrix file (the bundled one when none is configured) and makes it the active one. */
export function installHabilitationMatrix(path: string | undefined): HabilitationMatrix {
  activeHabilitationMatrix = loadHabilitationMatrix(path ?? defaultHabilitationMatrixPath);
  return activeHabilitationMatrix;
}
