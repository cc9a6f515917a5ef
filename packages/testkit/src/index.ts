export {
  connectSql,
  createTestDatabase,
  type SqlClient,
  TEST_DATABASE_URL,
  TEST_NATS_URL,
  type TestDatabase,
} from './database.ts';
export { connectTestNats, deleteTestStreams, testSubjects } from './nats.ts';
export { type PrivateNatsServer, startPrivateNatsServer } from './nats-server.ts';
export { freePort } from './ports.ts';
export { until } from './until.ts';
