import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { patientPrincipalFromRequest } from '../../auth/index.ts';
import {
  browseCatalogue,
  catalogueFilterOf,
  categoryCodes,
  categoryLabels,
  purposeOf,
  purposes,
  serviceForPatient,
  statusAcceptsConnections,
  statusLabels,
  type CatalogueService,
} from '../../catalogue/index.ts';
import { catalogueContracts } from '../contracts/catalogue-api.ts';

/** What a card of the catalogue shows. */
function cardView(service: CatalogueService) {
  return {
    id: service.id,
    name: service.name,
    editor: service.editor.name,
    summary: service.summary,
    category: { code: service.category, label: categoryLabels[service.category] },
    purposes: service.purposes.map((code) => ({ code, label: purposeOf(code).label })),
    status: { code: service.status, label: statusLabels[service.status] },
  };
}

/** A service's page. The OAuth client's details stay server-side: the patient needs none of them. */
function serviceView(service: CatalogueService) {
  return {
    ...cardView(service),
    editor: { name: service.editor.name, url: service.editor.url ?? null },
    description: service.description,
    dataExchanged: service.dataExchanged,
    links: {
      web: service.links.web ?? null,
      appStore: service.links.appStore ?? null,
      googlePlay: service.links.googlePlay ?? null,
      privacyPolicy: service.links.privacyPolicy ?? null,
    },
    statusReason: service.status === 'online' ? null : (service.statusReason ?? null),
    referencedAt: service.referencedAt,
    updatedAt: service.updatedAt,
    connectable: statusAcceptsConnections(service.status) && service.oauth !== undefined,
  };
}

type BrowseRequest = FastifyRequest<{ Querystring: { q?: string; category?: string; purpose?: string } }>;

/**
 * The catalogue in the patient space (docs/features.md, "Catalogue and connected services"). It holds no patient
 * data, so nothing is audited; it is still for signed-in patients only, like the rest of the space.
 */
export async function registerCatalogueApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/patient/catalogue', { schema: catalogueContracts.browse }, async (request: BrowseRequest) => {
    await patientPrincipalFromRequest(ctx, request);
    const filter = catalogueFilterOf(request.query);
    const services = await browseCatalogue(ctx.db, filter);
    return {
      total: services.length,
      services: services.map(cardView),
      categories: categoryCodes.map((code) => ({ code, label: categoryLabels[code] })),
      purposes: purposes.map((p) => ({ code: p.code, label: p.label })),
    };
  });

  app.get(
    '/api/patient/catalogue/services/:id',
    { schema: catalogueContracts.service },
    async (request: FastifyRequest<{ Params: { id: string } }>) => {
      await patientPrincipalFromRequest(ctx, request);
      return serviceView(await serviceForPatient(ctx.db, request.params.id));
    },
  );
}
