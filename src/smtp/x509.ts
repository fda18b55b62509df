// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API
// loaded first; this module is the one place that imports it, so the order cannot be got wrong.
import 'reflect-metadata';

export * from '@peculiar/x509';
