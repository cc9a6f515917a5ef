/** Recipe type bodies (Scale's v6 recipe type docs): list item, details, revisions, validation. */
import type { DefinitionIssue, RecipeDiff } from '@scale/contracts';
import type { JobType, RecipeType, RecipeTypeRevision } from '@scale/db';
import { iso } from './common.ts';
import { jobTypeDetailsV6 } from './job-type.ts';

/** The short form nested in recipes and revisions. */
export function recipeTypeBaseV6(rt: RecipeType) {
  return { id: rt.id, name: rt.name, title: rt.title, description: rt.description, revision_num: rt.revisionNum };
}

export function recipeTypeListItemV6(rt: RecipeType) {
  return {
    id: rt.id,
    name: rt.name,
    title: rt.title,
    description: rt.description,
    is_active: rt.isActive,
    is_system: rt.isSystem,
    revision_num: rt.revisionNum,
    created: iso(rt.created),
    deprecated: iso(rt.deprecated),
    last_modified: iso(rt.lastModified),
  };
}

/** A recipe type with its definition (how sub-recipe types appear inside details). */
export function recipeTypeV6(rt: RecipeType) {
  const { created, deprecated, last_modified, ...head } = recipeTypeListItemV6(rt);
  return { ...head, definition: rt.definition, created, deprecated, last_modified };
}

export function recipeTypeDetailsV6(rt: RecipeType, relations: { jobTypes: JobType[]; subRecipeTypes: RecipeType[] }) {
  const { created, deprecated, last_modified, ...head } = recipeTypeV6(rt);
  return {
    ...head,
    job_types: relations.jobTypes.map((jt) => jobTypeDetailsV6(jt)),
    sub_recipe_types: relations.subRecipeTypes.map(recipeTypeV6),
    created,
    deprecated,
    last_modified,
  };
}

export function recipeTypeRevisionListItemV6(revision: RecipeTypeRevision, rt: RecipeType) {
  return {
    id: revision.id,
    recipe_type: recipeTypeBaseV6(rt),
    revision_num: revision.revisionNum,
    created: iso(revision.created),
  };
}

export function recipeTypeRevisionDetailsV6(revision: RecipeTypeRevision, rt: RecipeType) {
  return {
    id: revision.id,
    recipe_type: recipeTypeListItemV6(rt),
    revision_num: revision.revisionNum,
    definition: revision.definition,
    created: iso(revision.created),
  };
}

const issueV6 = (issue: { name: string; description: string }) => ({
  name: issue.name,
  description: issue.description,
});

export function recipeTypeValidationV6(
  errors: readonly DefinitionIssue[],
  warnings: readonly DefinitionIssue[],
  diff: RecipeDiff | Record<string, never>,
) {
  return { is_valid: errors.length === 0, errors: errors.map(issueV6), warnings: warnings.map(issueV6), diff };
}
