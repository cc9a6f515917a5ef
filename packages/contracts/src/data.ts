/** Job and recipe input/output data: the v6 Data format and the legacy v5 job_data (version 1.0). */
import { z } from 'zod';

/** v6 Data: file inputs by name → scale file ids, json inputs by name → any JSON value. */
export const Data = z.strictObject({
  files: z.record(z.string(), z.array(z.number().int().positive())).default({}),
  json: z.record(z.string(), z.unknown()).default({}),
});
export type Data = z.infer<typeof Data>;

/** v5 job_data 1.0: a list of named inputs, each a value, a file_id or file_ids. */
export const LegacyJobData = z.strictObject({
  version: z.literal('1.0').default('1.0'),
  input_data: z
    .array(
      z
        .strictObject({
          name: z.string().min(1),
          value: z.unknown().optional(),
          file_id: z.number().int().positive().optional(),
          file_ids: z.array(z.number().int().positive()).optional(),
        })
        .refine((i) => [i.value, i.file_id, i.file_ids].filter((v) => v !== undefined).length === 1, {
          message: 'exactly one of value, file_id and file_ids is required',
        }),
    )
    .default([]),
  output_data: z
    .array(z.strictObject({ name: z.string().min(1), workspace_id: z.number().int().positive() }))
    .default([]),
});
export type LegacyJobData = z.infer<typeof LegacyJobData>;

/** Converts v5 job_data into v6 Data (file_id and file_ids both become file lists). */
export function dataFromLegacy(legacy: LegacyJobData): Data {
  const data: Data = { files: {}, json: {} };
  for (const input of legacy.input_data) {
    if (input.file_id !== undefined) data.files[input.name] = [input.file_id];
    else if (input.file_ids !== undefined) data.files[input.name] = input.file_ids;
    else data.json[input.name] = input.value;
  }
  return data;
}

/** Converts v6 Data back into the v5 input_data list, for v5 responses. */
export function legacyFromData(data: Data): LegacyJobData['input_data'] {
  return [
    ...Object.entries(data.json).map(([name, value]) => ({ name, value })),
    ...Object.entries(data.files).map(([name, ids]) =>
      ids.length === 1 ? { name, file_id: ids[0] } : { name, file_ids: ids },
    ),
  ];
}
