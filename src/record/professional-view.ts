import type { ProfessionCode } from '../identity/index.ts';
import type { RecordProfessionalRow } from '../guard/index.ts';

/**
 * One professional in the patient's list (docs/access.md, "The administrateur"): authorised or blocked,
 * administrateur or not.
 */
export interface RecordProfessionalView {
  readonly nationalId: string;
  readonly name: string;
  readonly professionCode: ProfessionCode | undefined;
  readonly status: 'authorised' | 'blocked';
  readonly administrator: boolean;
  readonly firstAccessAt: string | undefined;
  readonly lastAccessAt: string | undefined;
}

export function toProfessionalView(row: RecordProfessionalRow): RecordProfessionalView {
  return {
    nationalId: row.national_id,
    name: row.name,
    professionCode: (row.profession_code ?? undefined) as ProfessionCode | undefined,
    status: row.blocked === 1 ? 'blocked' : 'authorised',
    administrator: row.administrator === 1,
    firstAccessAt: row.first_access_at ?? undefined,
    lastAccessAt: row.last_access_at ?? undefined,
  };
}
