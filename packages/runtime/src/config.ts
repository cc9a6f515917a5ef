/** Helpers for each service's config schema (parsed once, in main.ts). */
import { z } from 'zod';

/** "true"/"1"/"yes" → true, "false"/"0"/"no"/"" → false. */
export const BoolEnv = z
  .union([z.boolean(), z.string()])
  .transform((v) => (typeof v === 'boolean' ? v : ['true', '1', 'yes'].includes(v.trim().toLowerCase())));

/** Parses env with a schema, or throws one Error listing every problem as `VAR: message`. */
export function parseConfig<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data) as z.infer<T>;
}
