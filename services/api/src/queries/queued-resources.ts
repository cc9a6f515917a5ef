/**
 * What GET /v6/scheduler/queued-resources/ sums: the cluster's schedulable capacity, how many jobs wait or run,
 * and what they need. Waiting jobs are grouped by revision in SQL (their needs come from the revision's manifest);
 * running ones are summed from their live executions' actual allocations.
 */
import type { Resources } from '@scale/contracts';
import { type EntityManager, JobTypeRevision } from '@scale/db';
import { amounts, type ResourceAmounts } from '../domain/node-view.ts';
import { groupTotals, type RevisionGroup } from '../domain/queued-resources.ts';

export const QUEUE_STATUSES = ['PENDING', 'QUEUED', 'RUNNING'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export interface QueuedResources {
  cluster: ResourceAmounts;
  lengths: Record<QueueStatus, number>;
  totals: Record<QueueStatus, ResourceAmounts>;
}

export async function readQueuedResources(em: EntityManager): Promise<QueuedResources> {
  const [nodes, lengths, waiting, running] = await Promise.all([
    // Only nodes that take new jobs count as capacity: paused, degraded or offline ones do not.
    em.execute<{ resources: Partial<Resources> | string }[]>(
      `select resources from node where is_active and state = 'READY'`,
    ),
    em.execute<{ status: QueueStatus; count: unknown }[]>(
      `select status, count(*) as count from job where status in ('PENDING', 'QUEUED', 'RUNNING') group by status`,
    ),
    em.execute<{ status: QueueStatus; job_type_rev_id: unknown; count: unknown; input: unknown }[]>(
      `select status, job_type_rev_id, count(*) as count, sum(input_file_size) as input
         from job where status in ('PENDING', 'QUEUED') group by status, job_type_rev_id`,
    ),
    em.execute<Record<'cpus' | 'mem' | 'disk' | 'gpus', unknown>[]>(
      `select sum((e.resources->>'cpus')::float8) as cpus, sum((e.resources->>'mem')::float8) as mem,
              sum((e.resources->>'disk')::float8) as disk, sum(coalesce((e.resources->>'gpus')::float8, 0)) as gpus
         from job_exe e join job j on j.id = e.job_id where e.ended is null and j.status = 'RUNNING'`,
    ),
  ]);

  const cluster = amounts(null);
  for (const row of nodes) {
    const node = amounts(typeof row.resources === 'string' ? JSON.parse(row.resources) : row.resources);
    cluster.cpus += node.cpus;
    cluster.mem += node.mem;
    cluster.disk += node.disk;
    cluster.gpus += node.gpus;
  }

  const revisionIds = [...new Set(waiting.map((w) => Number(w.job_type_rev_id)))];
  const revisions = revisionIds.length ? await em.find(JobTypeRevision, { id: { $in: revisionIds } }) : [];
  const manifests = new Map(revisions.map((r) => [r.id, r.manifest]));
  const groups: Record<'PENDING' | 'QUEUED', RevisionGroup[]> = { PENDING: [], QUEUED: [] };
  for (const w of waiting) {
    const manifest = manifests.get(Number(w.job_type_rev_id));
    if (!manifest || w.status === 'RUNNING') continue;
    groups[w.status].push({ manifest, count: Number(w.count), inputMiB: Number(w.input ?? 0) });
  }

  const live = running[0];
  return {
    cluster,
    lengths: {
      PENDING: Number(lengths.find((l) => l.status === 'PENDING')?.count ?? 0),
      QUEUED: Number(lengths.find((l) => l.status === 'QUEUED')?.count ?? 0),
      RUNNING: Number(lengths.find((l) => l.status === 'RUNNING')?.count ?? 0),
    },
    totals: {
      PENDING: groupTotals(groups.PENDING),
      QUEUED: groupTotals(groups.QUEUED),
      RUNNING: amounts({
        cpus: Number(live?.cpus ?? 0),
        mem: Number(live?.mem ?? 0),
        disk: Number(live?.disk ?? 0),
        gpus: Number(live?.gpus ?? 0),
      }),
    },
  };
}
