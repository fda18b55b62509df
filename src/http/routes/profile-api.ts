import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';

export async function registerProfileApi(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
