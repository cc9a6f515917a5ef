import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Subjects, subjectsFor } from '@scale/contracts';
import { TEST_NATS_URL } from './database.ts';

/** A subject prefix of its own for one test file, so tests can share one nats-server. */
export function testSubjects(label = 't'): Subjects {
  return subjectsFor(`${label.replace(/[^a-z0-9]/gi, '').slice(0, 12)}${randomBytes(4).toString('hex')}`);
}

export async function connectTestNats(): Promise<NatsConnection> {
  return connect({ servers: TEST_NATS_URL });
}

/** Deletes the streams a test created under its prefix. */
export async function deleteTestStreams(nc: NatsConnection, subjects: Subjects): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const stream of Object.values(subjects.streams)) {
    await jsm.streams.delete(stream.name).catch(() => undefined);
  }
}
