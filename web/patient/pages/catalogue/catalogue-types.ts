/** The shapes of `/api/patient/catalogue` (src/http/routes/catalogue-api.ts). */
export type ServiceStatusCode = 'online' | 'offline' | 'suspended' | 'dereferenced';

export interface Coded {
  readonly code: string;
  readonly label: string;
}

export interface CatalogueCard {
  readonly id: string;
  readonly name: string;
  readonly editor: string;
  readonly summary: string;
  readonly category: Coded;
  readonly purposes: readonly Coded[];
  readonly status: { readonly code: ServiceStatusCode; readonly label: string };
}

export interface CatalogueList {
  readonly total: number;
  readonly services: readonly CatalogueCard[];
  readonly categories: readonly Coded[];
  readonly purposes: readonly Coded[];
}

export interface CatalogueServiceDetail extends Omit<CatalogueCard, 'editor'> {
  readonly editor: { readonly name: string; readonly url: string | null };
  readonly description: string;
  readonly dataExchanged: readonly string[];
  readonly links: {
    readonly web: string | null;
    readonly appStore: string | null;
    readonly googlePlay: string | null;
    readonly privacyPolicy: string | null;
  };
  readonly statusReason: string | null;
  readonly referencedAt: string;
  readonly updatedAt: string;
  /** Online and with an OAuth client: the connection flow may start from this page. */
  readonly connectable: boolean;
}

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
