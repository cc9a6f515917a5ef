/**
 * Scale derives a recipe type's name from its title (POST /v6/recipe-types/ takes no name): lower case, runs of
 * anything but letters and digits become one dash, at most 50 characters. A name already taken gets -2, -3...
 */
export const MAX_RECIPE_TYPE_NAME = 50;

export function nameFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_RECIPE_TYPE_NAME)
    .replace(/-+$/, '');
  return slug || 'recipe';
}

/** The first of name, name-2, name-3... that `taken` does not hold, kept within the length limit. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, MAX_RECIPE_TYPE_NAME - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
