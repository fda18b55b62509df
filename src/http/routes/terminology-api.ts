import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { professionalPrincipalFromRequest } from '../../auth/index.ts';
import { invalid } from '../../shared/index.ts';
import { isValidCode, vsmCodeSystems, type VsmCodeSystem } from '../../vsm/index.ts';
import { terminologyContracts } from '../contracts/terminology-api.ts';

type CodeParams = FastifyRequest<{ Params: { system: string; code: string } }>;

const isCodeSystem = (system: string): system is VsmCodeSystem =>
  (vsmCodeSystems as readonly string[]).includes(system);

/**
 * `GET /api/pro/terminology/:system/:code` → `{ known }`: whether a code exists in one of the systems a VSM item
 * may be coded in (the kit's lists, or the check digit), so that the portal's form flags a typo as soon as the
 * doctor leaves the field rather than at the deposit.
 */
export async function registerTerminologyApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/pro/terminology/:system/:code',
    { schema: terminologyContracts.check },
    async (request: CodeParams) => {
      await professionalPrincipalFromRequest(ctx, request);
      const { system, code } = request.params;
      if (!isCodeSystem(system)) {
        throw invalid('terminology-unknown', `Terminologie inconnue : « ${system.slice(0, 20)} ».`);
      }
      return { known: isValidCode(system, code.trim()) };
    },
  );
}
