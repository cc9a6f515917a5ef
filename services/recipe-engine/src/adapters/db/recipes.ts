/**
 * Writes and reads of recipe rows that are not the tree itself: creating a recipe (the recipes.create command and
 * sub-recipes), its input files, and the look-ups the handlers need.
 */
import {
  type CreateRecipeRequest,
  type Data,
  dataIssues,
  type FieldError,
  interfaceParams,
  RecipeDefinition,
} from '@scale/contracts';
import type { EntityManager } from '@scale/db';
import { checkReplay, requestFingerprint, ValidationError } from '@scale/runtime';

const MIB = 1024 * 1024;

/** Links a recipe to its input files and records their total size; unknown or deleted files are field errors. */
export async function recordInputFiles(
  tx: EntityManager,
  recipeId: number,
  input: Data,
  field = 'input',
): Promise<void> {
  const ids = [...new Set(Object.values(input.files).flat())];
  if (ids.length === 0) return;
  const rows = await tx.execute<{ id: string; file_size: string }[]>(
    'select id, file_size from scale_file where id in (?) and not is_deleted',
    [ids],
  );
  const sizes = new Map(rows.map((r) => [Number(r.id), Number(r.file_size)]));
  const problems: FieldError[] = [];
  for (const [name, list] of Object.entries(input.files)) {
    const missing = list.filter((id) => !sizes.has(id));
    if (missing.length)
      problems.push({ field: `${field}.files.${name}`, message: `file ${missing.join(', ')} does not exist` });
  }
  if (problems.length) throw new ValidationError(`${problems[0]!.field}: ${problems[0]!.message}`, problems);
  await tx.execute(
    `insert into recipe_input_file (recipe_id, input_file_id, recipe_input)
     select ?, x.file_id, x.name from jsonb_to_recordset(?::jsonb) as x(file_id bigint, name text)
     on conflict do nothing`,
    [
      recipeId,
      JSON.stringify(Object.entries(input.files).flatMap(([name, list]) => list.map((id) => ({ file_id: id, name })))),
    ],
  );
  const total = ids.reduce((sum, id) => sum + (sizes.get(id) ?? 0), 0);
  await tx.execute('update recipe set input_file_size = ? where id = ?', [
    Math.ceil((total / MIB) * 100) / 100,
    recipeId,
  ]);
}

interface RecipeTypeRow {
  id: number;
  is_active: boolean;
  revision_id: number;
  definition: unknown;
}

/**
 * The recipe a key created (a create or a reprocess: they share the key column), if any, after checking the replay
 * asks for the same thing. A recipe keeps its key for good: its row, not a separate table, remembers it.
 */
export async function recipeOfKey(tx: EntityManager, key: string, fingerprint: string): Promise<number | undefined> {
  const [previous] = await tx.execute<{ id: string; create_request_hash: string | null }[]>(
    'select id, create_request_hash from recipe where create_key = ?',
    [key],
  );
  if (!previous) return undefined;
  checkReplay(previous.create_request_hash, fingerprint);
  return Number(previous.id);
}

/**
 * Creates a top-level recipe of the current revision of its type, in the caller's transaction: the type must be
 * active and the input must fit the definition's interface. A repeated idempotency key returns the first recipe.
 */
export async function createRecipe(tx: EntityManager, request: CreateRecipeRequest): Promise<number> {
  // Only a keyed request needs its fingerprint.
  const fingerprint = request.idempotencyKey ? requestFingerprint('recipes-create', request) : null;
  if (request.idempotencyKey) {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`recipes-create:${request.idempotencyKey}`]);
    const previous = await recipeOfKey(tx, request.idempotencyKey, fingerprint!);
    if (previous !== undefined) return previous;
  }
  const [type] = await tx.execute<RecipeTypeRow[]>(
    `select t.id, t.is_active, r.id as revision_id, r.definition
       from recipe_type t join recipe_type_revision r on r.recipe_type_id = t.id and r.revision_num = t.revision_num
      where t.id = ?`,
    [request.recipeTypeId],
  );
  if (!type) throw ValidationError.field('recipeTypeId', `recipe type ${request.recipeTypeId} does not exist`);
  if (!type.is_active) throw ValidationError.field('recipeTypeId', `recipe type ${request.recipeTypeId} is not active`);
  const definition = RecipeDefinition.parse(type.definition);
  const issues = dataIssues(interfaceParams(definition.input), request.input);
  if (issues.length) {
    const details = issues.map((i) => ({ field: `input.${i.kind}.${i.name}`, message: i.message }));
    throw new ValidationError(`${details[0]!.field}: ${details[0]!.message}`, details);
  }
  const [row] = await tx.execute<{ id: string }[]>(
    `insert into recipe (recipe_type_id, recipe_type_rev_id, input, configuration, create_key, create_request_hash)
     values (?, ?, ?, ?, ?, ?) returning id`,
    [
      type.id,
      type.revision_id,
      JSON.stringify(request.input),
      request.configuration ? JSON.stringify(request.configuration) : null,
      request.idempotencyKey ?? null,
      fingerprint,
    ],
  );
  const recipeId = Number(row!.id);
  await recordInputFiles(tx, recipeId, request.input);
  return recipeId;
}

/** The live top-level recipes whose trees run this job (a reprocess may share one job between two recipes). */
export async function rootsOfJob(em: EntityManager, jobId: number): Promise<number[]> {
  const rows = await em.execute<{ root: string }[]>(
    `select coalesce(r.root_recipe_id, r.id) as root
       from recipe_node n join recipe r on r.id = n.recipe_id
      where n.job_id = ? and not r.is_superseded
     union
     select coalesce(r.root_recipe_id, r.id)
       from job j join recipe r on r.id = j.recipe_id
      where j.id = ? and not r.is_superseded`,
    [jobId, jobId],
  );
  return rows.map((r) => Number(r.root));
}

/**
 * Top-level recipes the sweep should advance: in progress, not owned by a live replica, and either marked dirty
 * or not advanced for `staleMs` (least recently advanced first).
 */
export async function sweepCandidates(em: EntityManager, staleMs: number, limit: number): Promise<number[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from recipe
      where recipe_id is null and not is_completed and not is_superseded
        and (engine_lease_until is null or engine_lease_until < now())
        and (engine_dirty or last_advanced is null or last_advanced < now() - ? * interval '1 millisecond')
      order by last_advanced nulls first, id
      limit ?`,
    [staleMs, limit],
  );
  return rows.map((r) => Number(r.id));
}
