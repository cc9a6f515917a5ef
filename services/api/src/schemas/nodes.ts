/** /v6/nodes/: list parameters, path id, and the PATCH body (is_paused, pause_reason, is_active). */
import { NodeState } from '@scale/contracts';
import { z } from 'zod';
import { timeRangeErrors } from '../domain/time-range.ts';
import { PageQuery } from '../http/pagination.ts';
import { choice, listParam, orderList, QueryBool, QueryTimestamp } from '../http/query.ts';
import { NODE_ORDER_FIELDS } from '../queries/nodes.ts';
import { idParam, MAX_INT } from './common.ts';

const TIME = 'ISO-8601 date-time (2015-01-01T00:00:00Z) or duration before now (PT3H0M0S)';

/** Reports a reversed or empty started/ended range on the parameter at fault. */
export function checkRange(query: { started?: Date | undefined; ended?: Date | undefined }, ctx: z.RefinementCtx) {
  for (const { field, message } of timeRangeErrors(query.started, query.ended)) {
    ctx.addIssue({ code: 'custom', path: [field], message });
  }
}

export const NodeListQuery = z
  .object({
    ...PageQuery,
    started: QueryTimestamp.optional().meta({ description: `Nodes last modified at or after this; ${TIME}.` }),
    ended: QueryTimestamp.optional().meta({ description: `Nodes last modified at or before this; ${TIME}.` }),
    is_active: QueryBool.optional().meta({ description: 'Only active (true) or inactive (false) nodes.' }),
    state: listParam(choice(NodeState.options), `Node state, repeatable: ${NodeState.options.join(', ')}.`),
    order: orderList(NODE_ORDER_FIELDS),
  })
  .superRefine(checkRange);

export const NodeParams = z.object({ id: idParam(MAX_INT) });

/** Scale: "All fields are optional and additional fields are not accepted"; an empty body is a 400 too. */
export const PatchNodeBody = z
  .strictObject({
    is_paused: z.boolean().optional(),
    pause_reason: z.string().max(1000).nullable().optional(),
    is_active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'No fields specified for update.',
    // Unknown fields alone already explain the 400; "no fields" would be noise next to them.
    when: (payload) => payload.issues.length === 0,
  });
