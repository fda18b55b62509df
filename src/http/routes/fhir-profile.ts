import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/index.ts';
import type { AppContext } from '../../app/context.ts';

export function registerFhirProfile(
  _fhir: FastifyInstance,
  _ctx: AppContext,
  _principalOf: (request: FastifyRequest) => Promise<Principal>,
): void {}
