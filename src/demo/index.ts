export { describeDemoPeople, formatDemoPeople } from './demo-people.ts';
export { DEMO_PASSWORD, demoPatients } from './patients.ts';
export { demoIns, demoPerson, demoProfessional, patientPrincipal } from './principals.ts';
export { demoProfessionals } from './professionals.ts';
export type { DemoProfessional } from './professionals.ts';
export { seedDemoProfiles } from './profile-seed.ts';
export { seedDemo, seedDemoContent, seedDemoIfEmpty } from './seed.ts';
export { demoVsms } from './vsm-seed.ts';
