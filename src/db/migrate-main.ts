import { loadConfig, requireSettings } from '../config';
import { createLogger } from '../logger';
import { runUntilSignal } from '../run-until-signal';
import { migrateDatabase } from './database';

// `npm run migrate` (production: `node dist/src/db/migrate-main.js`): the one-shot job that applies the
// migrations and exits, so a deploy can run it before the api and worker. They migrate at start too, under
// the same lock, so its order against them never matters; it only needs the database.
runUntilSignal(async () => {
  const config = requireSettings(loadConfig(), ['DATABASE_URL']);
  const logger = createLogger(config.LOG_LEVEL, 'migrate');
  await migrateDatabase(config.DATABASE_URL);
  logger.info('database migrated');
});
