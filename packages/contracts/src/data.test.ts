import { describe, expect, it } from '@jest/globals';
import { Data, dataFromLegacy, LegacyJobData, legacyFromData } from './data.ts';

describe('job data', () => {
  it('dataFromLegacy - maps values, file_id and file_ids by input name', () => {
    const legacy = LegacyJobData.parse({
      version: '1.0',
      input_data: [
        { name: 'Param 1', value: 'HELLO' },
        { name: 'Param 2', file_id: 9876 },
        { name: 'Param 3', file_ids: [1, 2] },
      ],
      output_data: [{ name: 'Param 4', workspace_id: 15 }],
    });
    expect(dataFromLegacy(legacy)).toEqual({
      files: { 'Param 2': [9876], 'Param 3': [1, 2] },
      json: { 'Param 1': 'HELLO' },
    });
  });

  it('legacyFromData - round-trips through v5 input_data', () => {
    const data = Data.parse({ files: { f: [3] }, json: { n: 5 } });
    expect(dataFromLegacy(LegacyJobData.parse({ input_data: legacyFromData(data) }))).toEqual(data);
  });

  it('LegacyJobData - rejects an input with both a value and a file', () => {
    expect(LegacyJobData.safeParse({ input_data: [{ name: 'x', value: 1, file_id: 2 }] }).success).toBe(false);
  });

  it('Data - rejects non-integer file ids', () => {
    expect(Data.safeParse({ files: { a: ['x'] }, json: {} }).success).toBe(false);
  });
});
