/** The shapes of `/api/patient/catalogue`, inferred from its contracts (src/http/contracts/catalogue-api.ts). */
import type { ServiceStatusCode } from '../../../../src/http/contracts/catalogue-api.ts';

export type {
  CatalogueCard,
  CatalogueList,
  CatalogueServiceDetail,
  Coded,
  ServiceStatusCode,
} from '../../../../src/http/contracts/catalogue-api.ts';

export const catalogueHref = '/catalogue';
export const serviceHref = (id: string) => `/catalogue/service?id=${encodeURIComponent(id)}`;

/** What a patient is told about availability; never colour alone, always words. */
export function availabilityOf(status: ServiceStatusCode): string | undefined {
  switch (status) {
    case 'offline':
      return 'Temporairement indisponible';
    case 'suspended':
      return 'Indisponible : service suspendu';
    case 'dereferenced':
      return 'Retiré du catalogue';
    default:
      return undefined;
  }
}
