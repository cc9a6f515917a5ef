/** `node packages/db/src/cli.ts migrate`: applies pending migrations to SCALE_DATABASE_URL. */
import { migrate, openOrm } from './orm.ts';

const [command] = process.argv.slice(2);
const url = process.env.SCALE_DATABASE_URL;
if (command !== 'migrate' || !url) {
  console.error('usage: SCALE_DATABASE_URL=postgres://... node packages/db/src/cli.ts migrate');
  process.exit(2);
}
const orm = await openOrm({ url, poolSize: 1 });
try {
  const applied = await migrate(orm);
  console.error(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
} finally {
  await orm.close();
}
