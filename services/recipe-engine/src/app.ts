/**
 * The recipe engine. For now it only follows job status events through its durable consumer, so the stream
 * position is kept from the first deployment on; advancing recipe DAGs comes with the recipes capability.
 */
import { JobStatusEvent, type Subjects } from '@scale/contracts';
import {
  type Consumption,
  consumeDurable,
  ensureDurableConsumer,
  ensureStreams,
  type Logger,
  type NatsConnection,
} from '@scale/runtime';

export interface RecipeEngineDeps {
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
}

export function buildRecipeEngine({ nc, subjects, log }: RecipeEngineDeps): {
  start(): Promise<void>;
  stop(): Promise<void>;
} {
  let consumption: Consumption | undefined;
  return {
    async start() {
      await ensureStreams(nc, subjects);
      await ensureDurableConsumer(
        nc,
        subjects.streams.events.name,
        subjects.consumers.recipeEngineJobEvents,
        subjects.jobStatusEvent(),
      );
      consumption = await consumeDurable(
        nc,
        subjects.streams.events.name,
        subjects.consumers.recipeEngineJobEvents,
        JobStatusEvent,
        async (event) => {
          log.debug({ event }, 'job status event');
        },
        log,
      );
    },
    async stop() {
      await consumption?.stop();
    },
  };
}
