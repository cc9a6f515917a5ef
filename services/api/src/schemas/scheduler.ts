/** PATCH /v6/scheduler/ body. Scale's num_message_handlers and system_logging_level have no meaning here. */
import { QueueMode } from '@scale/contracts';
import { z } from 'zod';
import { choice } from '../http/query.ts';

export const PatchSchedulerBody = z
  .strictObject({
    is_paused: z.boolean().optional(),
    /** FIFO or LIFO, case-insensitive as in Scale. */
    queue_mode: choice(QueueMode.options).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'No fields specified for update.',
    // Unknown fields alone already explain the 400; "no fields" would be noise next to them.
    when: (payload) => payload.issues.length === 0,
  });
