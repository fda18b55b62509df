import { notFound } from '../shared/index.ts';

export const threadNotFound = () => notFound('thread-not-found', 'Conversation introuvable.');
export const attachmentNotFound = () => notFound('attachment-not-found', 'Pièce jointe introuvable.');
