import { z } from 'zod';
import { serviceStatuses } from '../../catalogue/index.ts';
import { contract } from '../contract.ts';

const choice = z.object({ code: z.string(), label: z.string() });
export type Coded = z.infer<typeof choice>;

const serviceStatus = z.enum(serviceStatuses);
export type ServiceStatusCode = z.infer<typeof serviceStatus>;

/** What a card of the catalogue shows (`cardView`, src/http/routes/catalogue-api.ts). */
const cardFields = {
  id: z.string(),
  name: z.string(),
  summary: z.string(),
  category: choice,
  purposes: z.array(choice),
  status: z.object({ code: serviceStatus, label: z.string() }),
};
export const catalogueCard = z.object({ ...cardFields, editor: z.string() });
export type CatalogueCard = z.infer<typeof catalogueCard>;

export const catalogueList = z.object({
  total: z.number(),
  services: z.array(catalogueCard),
  categories: z.array(choice),
  purposes: z.array(choice),
});
export type CatalogueList = z.infer<typeof catalogueList>;

/** A service's page (`serviceView`): the card, the editor's link, the description and the links. */
export const catalogueServiceDetail = z.object({
  ...cardFields,
  editor: z.object({ name: z.string(), url: z.string().nullable() }),
  description: z.string(),
  dataExchanged: z.array(z.string()),
  links: z.object({
    web: z.string().nullable(),
    appStore: z.string().nullable(),
    googlePlay: z.string().nullable(),
    privacyPolicy: z.string().nullable(),
  }),
  statusReason: z.string().nullable(),
  referencedAt: z.string(),
  updatedAt: z.string(),
  /** Online and with an OAuth client: the connection flow may start from this page. */
  connectable: z.boolean(),
});
export type CatalogueServiceDetail = z.infer<typeof catalogueServiceDetail>;

/** The catalogue of referenced services in the patient space. */
export const catalogueContracts = {
  // The catalogue module checks the filters against its lists, with its own messages.
  browse: contract({
    query: z.object({
      q: z.string().optional(),
      category: z.string().optional(),
      purpose: z.string().optional(),
    }),
    response: catalogueList,
  }),
  service: contract({ params: z.object({ id: z.string() }), response: catalogueServiceDetail }),
};
