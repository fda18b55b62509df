import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';

// Placeholder until this adapter's work lands.
export async function registerFhir(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
