import { describe, expect, it } from '@jest/globals';
import { RecipeNodeDefinition } from '@scale/contracts';
import { wireInput } from './wiring.ts';

describe('wiring', () => {
  it('wiring - recipe inputs and parent outputs keep their kind; absent optional values are left out', () => {
    const node = RecipeNodeDefinition.parse({
      dependencies: [{ name: 'a' }, { name: 'gate' }],
      input: {
        IMAGE: { type: 'recipe', input: 'image' },
        LIMIT: { type: 'recipe', input: 'limit' },
        COUNT: { type: 'dependency', node: 'a', output: 'count' },
        TILES: { type: 'dependency', node: 'a', output: 'tiles' },
        MAYBE: { type: 'dependency', node: 'a', output: 'maybe' },
        PASSED: { type: 'dependency', node: 'gate', output: 'v' },
      },
      node_type: { node_type: 'job', job_type_name: 'x', job_type_version: '1', job_type_revision: 1 },
    });
    const data = wireInput(
      node,
      { files: { image: [3] }, json: {} },
      {
        a: {
          kind: 'job',
          jobId: 1,
          status: 'COMPLETED',
          numExes: 1,
          isSuperseded: false,
          output: { files: { tiles: [4, 5] }, json: { count: 0 } },
        },
        gate: { kind: 'condition', conditionId: 1, isAccepted: true, data: { files: {}, json: { v: null } } },
      },
    );
    expect(data).toEqual({ files: { IMAGE: [3], TILES: [4, 5] }, json: { COUNT: 0, PASSED: null } });
  });
});
