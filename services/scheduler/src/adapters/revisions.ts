/**
 * The job type revisions scheduling passes need (manifest, image, job type name and version), kept in memory: a
 * revision is never changed once written (a new manifest or image is a new revision) and a job type's name and
 * version are its identity, so a pass reads only the revisions it has not seen yet instead of every one of its
 * window, every pass. The job type's configuration does change, so it is not kept here (the claim reads it).
 */
import type { SeedManifest } from '@scale/contracts';
import type { EntityManager } from '@scale/db';

export interface Revision {
  id: number;
  manifest: SeedManifest;
  docker_image: string;
  name: string;
  version: string;
}

/** Revisions kept at most; the oldest read is dropped first (a busy cluster runs far fewer job types). */
const DEFAULT_CAPACITY = 5000;

export class RevisionCache {
  readonly #revisions = new Map<number, Revision>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** The revisions of these ids, reading the ones not yet kept in one query. */
  async read(em: EntityManager, ids: Iterable<number>): Promise<Map<number, Revision>> {
    const wanted = [...new Set(ids)];
    const missing = wanted.filter((id) => !this.#revisions.has(id));
    if (missing.length > 0) {
      const rows = await em.execute<Revision[]>(
        `select r.id, r.manifest, r.docker_image, t.name, t.version
           from job_type_revision r join job_type t on t.id = r.job_type_id
          where r.id in (?)`,
        [missing],
      );
      for (const row of rows) this.#keep(row);
    }
    const found = new Map<number, Revision>();
    for (const id of wanted) {
      const revision = this.#revisions.get(id);
      if (revision) found.set(id, revision);
    }
    return found;
  }

  #keep(revision: Revision): void {
    this.#revisions.set(revision.id, revision);
    if (this.#revisions.size > this.#capacity) {
      const oldest = this.#revisions.keys().next().value;
      if (oldest !== undefined) this.#revisions.delete(oldest);
    }
  }
}
