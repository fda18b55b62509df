export { sniffFormat } from './sniff.ts';
export {
  createContentStore,
  createDatabaseContentStore,
  createFileContentStore,
  contentFile,
  contentFormatVersion,
  openStoredContent,
  sha256Hex,
} from './store.ts';
export type { ContentKind, ContentStore, StoredContent } from './store.ts';
export { contentLimits, checkContent } from './limits.ts';
export type { ContentLimits, Uploader } from './limits.ts';
export { sealField, openField, sealText, openText } from '../../storage/index.ts';
