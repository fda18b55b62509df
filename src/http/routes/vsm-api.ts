import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';

export async function registerVsmApi(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
