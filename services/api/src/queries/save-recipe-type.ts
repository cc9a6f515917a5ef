/**
 * The one write path of recipe types (catalogue data, owned by the API): create, revise and edit a recipe type,
 * record its revisions and the links to the job and recipe types it uses, in one transaction per request.
 * Recipe type writes are rare, so one advisory lock serialises them all: names derived from titles never
 * collide, revision numbers never repeat and an auto-update cascade sees a stable catalogue.
 */
import { canonical, type DefinitionIssue, definitionReferences, type RecipeDefinition } from '@scale/contracts';
import { type EntityManager, type JobType, RecipeType, RecipeTypeRevision } from '@scale/db';
import type { ValidationError } from '@scale/runtime';
import { nameFromTitle, uniqueName } from '../domain/recipe-type-name.ts';
import { validationFailure } from '../http/validation.ts';
import { checkDefinition } from './recipe-types.ts';

const LOCK = 'recipe-type-catalogue';

export interface CreateRecipeTypeInput {
  title: string;
  description?: string | null;
  definition: RecipeDefinition;
}

export interface EditRecipeTypeInput {
  title?: string;
  description?: string | null;
  definition?: RecipeDefinition;
  /** Move the recipe types that contain this one to its new revision. @default true */
  autoUpdate?: boolean;
  isActive?: boolean;
}

/** A 400 listing every definition error on its field (`definition.nodes.b.input.x`). */
export function definitionFailure(errors: readonly DefinitionIssue[]): ValidationError {
  return validationFailure(
    'recipe definition',
    errors.map((e) => ({ field: ['definition', ...e.path].join('.'), message: `${e.name}: ${e.description}` })),
  );
}

export async function createRecipeType(em: EntityManager, input: CreateRecipeTypeInput): Promise<RecipeType> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [LOCK]);
    const base = nameFromTitle(input.title);
    const taken = await tx.execute<{ name: string }[]>(`select name from recipe_type where name like ?`, [
      `${base.slice(0, 47).replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    ]);
    const name = uniqueName(base, new Set(taken.map((t) => t.name)));
    const { errors } = await checkDefinition(tx, input.definition, name);
    if (errors.length) throw definitionFailure(errors);
    const recipeType = tx.create(RecipeType, {
      name,
      title: input.title,
      description: input.description ?? null,
      revisionNum: 1,
      definition: input.definition,
    });
    await tx.flush();
    tx.create(RecipeTypeRevision, { recipeTypeId: recipeType.id, revisionNum: 1, definition: input.definition });
    await tx.flush();
    await replaceLinks(tx, recipeType);
    return recipeType;
  });
}

/** Applies a PATCH; null when the recipe type does not exist. */
export async function editRecipeType(
  em: EntityManager,
  name: string,
  input: EditRecipeTypeInput,
): Promise<RecipeType | null> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [LOCK]);
    const recipeType = await tx.findOne(RecipeType, { name });
    if (!recipeType) return null;
    if (input.definition) {
      const { errors } = await checkDefinition(tx, input.definition, name);
      if (errors.length) throw definitionFailure(errors);
      if (await revise(tx, recipeType, input.definition)) {
        if (input.autoUpdate ?? true) await updateParents(tx, recipeType, new Set([recipeType.id]));
      }
    }
    if (input.title !== undefined) recipeType.title = input.title;
    if (input.description !== undefined) recipeType.description = input.description;
    if (input.isActive !== undefined && input.isActive !== recipeType.isActive) {
      recipeType.isActive = input.isActive;
      recipeType.deprecated = input.isActive ? null : new Date();
    }
    await tx.flush();
    return recipeType;
  });
}

/** Stores a new revision when the definition differs from the current one; true if it did. */
async function revise(tx: EntityManager, recipeType: RecipeType, definition: RecipeDefinition): Promise<boolean> {
  if (canonical(recipeType.definition) === canonical(definition)) return false;
  recipeType.revisionNum += 1;
  recipeType.definition = definition;
  tx.create(RecipeTypeRevision, {
    recipeTypeId: recipeType.id,
    revisionNum: recipeType.revisionNum,
    definition,
  });
  await tx.flush();
  await replaceLinks(tx, recipeType);
  return true;
}

/**
 * Scale's auto_update: recipe types whose current definition contains `changed` move to its new revision, and so
 * on up the chain. A parent the new revision would make invalid (say, a sub-recipe input it no longer feeds) keeps
 * its current revision: running recipes are never broken by an edit below them.
 */
async function updateParents(tx: EntityManager, changed: RecipeType, visited: Set<number>): Promise<void> {
  const parents = await tx.find(RecipeType, {
    id: {
      $in: (
        await tx.execute<{ recipe_type_id: number }[]>(
          'select recipe_type_id from recipe_type_sub_link where sub_recipe_type_id = ?',
          [changed.id],
        )
      ).map((r) => r.recipe_type_id),
    },
  });
  for (const parent of parents) {
    if (visited.has(parent.id)) continue;
    visited.add(parent.id);
    const next = structuredClone(parent.definition);
    for (const node of Object.values(next.nodes)) {
      if (node.node_type.node_type === 'recipe' && node.node_type.recipe_type_name === changed.name) {
        node.node_type.recipe_type_revision = changed.revisionNum;
      }
    }
    const { errors } = await checkDefinition(tx, next, parent.name);
    if (errors.length) continue;
    if (await revise(tx, parent, next)) await updateParents(tx, parent, visited);
  }
}

/**
 * Scale's auto_update of a job type, inside the job type's write transaction: recipe types whose current definition
 * uses `jobType` (by name and version) move to its current revision, then their parents follow as on a recipe type
 * edit. A recipe type the new revision would make invalid (say, an input it no longer declares) keeps its revision.
 */
export async function followJobTypeRevision(tx: EntityManager, jobType: JobType): Promise<void> {
  await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [LOCK]);
  const users = await tx.find(
    RecipeType,
    {
      id: {
        $in: (
          await tx.execute<{ recipe_type_id: number }[]>(
            'select recipe_type_id from recipe_type_job_link where job_type_id = ?',
            [jobType.id],
          )
        ).map((r) => r.recipe_type_id),
      },
    },
    { orderBy: { id: 'asc' } },
  );
  for (const recipeType of users) {
    const next = structuredClone(recipeType.definition);
    for (const node of Object.values(next.nodes)) {
      const type = node.node_type;
      if (
        type.node_type === 'job' &&
        type.job_type_name === jobType.name &&
        type.job_type_version === jobType.version
      ) {
        type.job_type_revision = jobType.revisionNum;
      }
    }
    const { errors } = await checkDefinition(tx, next, recipeType.name);
    if (errors.length) continue;
    if (await revise(tx, recipeType, next)) await updateParents(tx, recipeType, new Set([recipeType.id]));
  }
}

/** Rewrites the job type and sub-recipe type links of a recipe type from its current definition. */
async function replaceLinks(tx: EntityManager, recipeType: RecipeType): Promise<void> {
  const refs = definitionReferences(recipeType.definition);
  await tx.execute('delete from recipe_type_job_link where recipe_type_id = ?', [recipeType.id]);
  await tx.execute('delete from recipe_type_sub_link where recipe_type_id = ?', [recipeType.id]);
  if (refs.jobTypes.length) {
    await tx.execute(
      `insert into recipe_type_job_link (recipe_type_id, job_type_id)
       select distinct ?::int, t.id from jsonb_to_recordset(?::jsonb) as x(name text, version text)
         join job_type t on t.name = x.name and t.version = x.version
       on conflict do nothing`,
      [recipeType.id, JSON.stringify(refs.jobTypes)],
    );
  }
  if (refs.recipeTypes.length) {
    await tx.execute(
      `insert into recipe_type_sub_link (recipe_type_id, sub_recipe_type_id)
       select distinct ?::int, t.id from recipe_type t where t.name in (?)
       on conflict do nothing`,
      [recipeType.id, [...new Set(refs.recipeTypes.map((r) => r.name))]],
    );
  }
}
