export { createTestDatabase, TEST_DATABASE_URL, TEST_NATS_URL, type TestDatabase } from './database.ts';
export { connectTestNats, deleteTestStreams, testSubjects } from './nats.ts';
