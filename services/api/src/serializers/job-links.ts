/** A job's surroundings in detail bodies: neighbours in the supersede chain (v6) and its recipes (v5). */
import type { JobBrief, JobLinks } from '../queries/job-links.ts';
import { iso } from './common.ts';
import { jobTypeSummaryV6 } from './job-type.ts';

/** Scale's JobBaseSerializerV6. */
export function jobBriefV6(brief: JobBrief | null) {
  return brief ? { id: brief.id, job_type: jobTypeSummaryV6(brief.jobType), status: brief.status } : null;
}

/** The v5 `recipes` list (seed 001): the recipe that holds the job. Recipe types have no version in v6. */
export function recipesV5(links: JobLinks) {
  const recipe = links.recipe;
  if (!recipe) return [];
  return [
    {
      id: recipe.id,
      recipe_type: {
        id: recipe.recipeType.id,
        name: recipe.recipeType.name,
        version: null,
        description: recipe.recipeType.description,
      },
      event: null,
      created: iso(recipe.created),
      completed: iso(recipe.completed),
      last_modified: iso(recipe.lastModified),
    },
  ];
}
