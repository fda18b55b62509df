import { loadConfig } from '../../config/index.ts';
import { migrateToLatest, openDatabase } from '../../storage/index.ts';
import { systemClock } from '../../shared/index.ts';
import { seedDemo, seedDemoContent, seedDemoLongTermRecord } from '../../demo/index.ts';
import { refuseDemoInProduction } from '../demo-guard.ts';
import { createAppContext } from '../../server/index.ts';

/** `carnet seed-demo`: adds the demo people and what they have lived (idempotent); the e-mails it queues leave with the next server start. */
export async function seedDemoCommand(): Promise<number> {
  const config = loadConfig();
  refuseDemoInProduction(config, 'seed-demo');
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, config);
    const ctx = createAppContext({ config, db: database.db, dialect: database.dialect, clock: systemClock });
    const report = await seedDemo(ctx);
    await seedDemoContent(ctx);
    const longTerm = await seedDemoLongTermRecord(ctx, { years: config.demoRecordYears });
    console.log(
      `Demo data: ${report.imported} insured people, ${report.activated} newly activated, ${report.professionals} professionals` +
        (longTerm.documents > 0 ? `, ${longTerm.documents} documents in Hélène Brunet's record.` : '.'),
    );
    return 0;
  } finally {
    await database.close();
  }
}
