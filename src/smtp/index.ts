export { startSmtpGateway } from './gateway.ts';
