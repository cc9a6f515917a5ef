/** Publishes TaskUpdates to JetStream with deterministic ids, so a repeated report (redelivery, restart) is dropped. */
import type { Subjects, TaskUpdate } from '@scale/contracts';
import { type JetStreamClient, publishDurable } from '@scale/runtime';
import { endMsgId, runningMsgId } from '../../domain/messages.ts';

export interface Reporter {
  report(update: TaskUpdate): Promise<void>;
}

export function jetStreamReporter(js: JetStreamClient, subjects: Subjects): Reporter {
  return {
    async report(update) {
      const id = update.token.jobExeId;
      await publishDurable(
        js,
        subjects.taskUpdate(),
        update,
        update.status === 'RUNNING' ? runningMsgId(id) : endMsgId(id),
      );
    },
  };
}
