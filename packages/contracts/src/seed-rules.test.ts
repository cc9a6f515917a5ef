// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Seed commands, not templates
import { describe, expect, it } from '@jest/globals';
import { fieldErrors } from './errors.ts';
import { SeedManifest } from './seed.ts';
import { commandVariables, customScalarNames, RegisteredSeedManifest, seedEnvName } from './seed-rules.ts';

function job(overrides: Record<string, unknown> = {}, iface: Record<string, unknown> = {}) {
  return {
    seedVersion: '1.0.0',
    job: {
      name: 'rules',
      jobVersion: '1.0.0',
      packageVersion: '1.0.0',
      timeout: 10,
      resources: { scalar: [{ name: 'cpus', value: 1 }] },
      interface: {
        command: 'run ${IN_FILE} ${LEVEL} ${DB_PASS} ${OUTPUT_DIR} ${ALLOCATED_CPUS}',
        inputs: { files: [{ name: 'IN_FILE', mediaTypes: ['image/png'] }], json: [{ name: 'LEVEL', type: 'integer' }] },
        outputs: {
          files: [{ name: 'OUT', pattern: 'out/*.png', mediaType: 'image/png' }],
          json: [{ name: 'count', type: 'integer' }],
        },
        mounts: [{ name: 'REF', path: '/ref' }],
        settings: [{ name: 'DB_PASS', secret: true }],
        ...iface,
      },
      errors: [{ code: 1, name: 'bad-input', category: 'data' }],
      ...overrides,
    },
  };
}

function issuesOf(input: unknown): string[] {
  const result = RegisteredSeedManifest.safeParse(input);
  return result.success ? [] : fieldErrors(result.error.issues).map((e) => `${e.field}: ${e.message}`);
}

describe('seedEnvName', () => {
  it.each([
    ['input-file', 'INPUT_FILE'],
    ['sharedMem', 'SHAREDMEM'],
    ['a.b c', 'ABC'],
    ['ALREADY_OK', 'ALREADY_OK'],
  ])('seedEnvName - %s → %s', (name, env) => {
    expect(seedEnvName(name)).toBe(env);
  });
});

describe('commandVariables', () => {
  it.each<[string, string[]]>([
    ['run.sh', []],
    ['echo $A ${B} $A', ['A', 'B']],
    ["sh -c 'for f in *; do echo $f; done' $OUT", ['OUT']],
    ['sh -c "echo $IN; echo \\$LATER"', ['IN']],
    ['echo \\$NOT ${bad-name} $1 $ ${OPEN', []],
    ['echo "${A}x" x${B}y', ['A', 'B']],
    ['', []],
  ])('commandVariables - %j', (command, variables) => {
    expect(commandVariables(command)).toEqual({ ok: true, variables });
  });

  it.each([
    ["echo 'open", 'unterminated single quote'],
    ['echo "open', 'unterminated double quote'],
    ['echo \\', 'ends with a backslash'],
  ])('commandVariables - rejects %j', (command, message) => {
    expect(commandVariables(command)).toEqual({ ok: false, message });
  });
});

describe('RegisteredSeedManifest', () => {
  it('RegisteredSeedManifest - accepts a manifest whose command uses only what it declares', () => {
    expect(issuesOf(job())).toEqual([]);
    expect(
      issuesOf(
        job(
          {
            resources: {
              scalar: [
                { name: 'gpus', value: 2 },
                { name: 'license-seats', value: 1 },
              ],
            },
          },
          { command: 'run $SCALE_JOB_ID $SCALE_EXE_NUM $ALLOCATED_GPUS $ALLOCATED_LICENSE_SEATS $ALLOCATED_MEM' },
        ),
      ),
    ).toEqual([]);
  });

  it.each<[string, ReturnType<typeof job>, string]>([
    [
      'a command variable nothing declares',
      job({}, { command: 'run ${MISSING}' }),
      'job.interface.command: ${MISSING} is not an input, a setting or a platform variable, so it would expand to nothing',
    ],
    [
      'a lower-case reference to an input',
      job({}, { command: 'run ${level}' }),
      'job.interface.command: ${level} is not an input, a setting or a platform variable, so it would expand to ' +
        'nothing (did you mean ${LEVEL} for "LEVEL"?)',
    ],
    [
      'an unterminated quote in the command',
      job({}, { command: "run 'x" }),
      'job.interface.command: command unterminated single quote',
    ],
    [
      'a fractional gpus value',
      job({ resources: { scalar: [{ name: 'gpus', value: 0.5 }] } }),
      'job.resources.scalar.0.value: gpus must be a whole number',
    ],
    [
      'a resource name with spaces',
      job({ resources: { scalar: [{ name: 'big disk', value: 1 }] } }),
      'job.resources.scalar.0.name: must hold only letters, digits, _ and -',
    ],
    [
      'an absolute output pattern',
      job({}, { outputs: { files: [{ name: 'OUT', pattern: '/etc/passwd' }] } }),
      'job.interface.outputs.files.0.pattern: must be a glob relative to OUTPUT_DIR',
    ],
    [
      'an output pattern that climbs out',
      job({}, { outputs: { files: [{ name: 'OUT', pattern: 'a/../../x' }] } }),
      "job.interface.outputs.files.0.pattern: must stay inside OUTPUT_DIR (no '..')",
    ],
    [
      'two json outputs read from one key',
      job(
        {},
        {
          outputs: {
            json: [
              { name: 'a', type: 'string' },
              { name: 'b', type: 'string', key: 'a' },
            ],
          },
        },
      ),
      'job.interface.outputs.json.1.key: seed.outputs.json key "a" is also read by output "a"',
    ],
    [
      'a media type without a subtype',
      job({}, { inputs: { files: [{ name: 'IN_FILE', mediaTypes: ['png'] }] }, command: 'run' }),
      'job.interface.inputs.files.0.mediaTypes.0: must be a media type such as "text/plain"',
    ],
    [
      'a mount over the container root',
      job({}, { mounts: [{ name: 'ROOT', path: '/' }] }),
      'job.interface.mounts.0.path: cannot mount over the root of the container',
    ],
    [
      'two mounts on one path',
      job(
        {},
        {
          mounts: [
            { name: 'A', path: '/data' },
            { name: 'B', path: '/data/' },
          ],
        },
      ),
      'job.interface.mounts.1.path: "/data/" is also the path of mount "A"',
    ],
    [
      'a setting and an input that become one variable',
      job({}, { settings: [{ name: 'in-file' }], command: 'run' }),
      'job.interface.settings.0.name: "in-file" becomes $IN_FILE, as input "IN_FILE" does',
    ],
    [
      'an input named like a platform variable',
      job({}, { inputs: { json: [{ name: 'output-dir', type: 'string' }] }, command: 'run' }),
      'job.interface.inputs.json.0.name: "output-dir" becomes $OUTPUT_DIR, which the platform sets itself',
    ],
    [
      'a setting in the ALLOCATED_ namespace',
      job({}, { settings: [{ name: 'ALLOCATED_CPUS' }], command: 'run' }),
      'job.interface.settings.0.name: "ALLOCATED_CPUS" becomes $ALLOCATED_CPUS, which the platform sets itself',
    ],
    [
      'two errors with one name',
      job({
        errors: [
          { code: 1, name: 'same' },
          { code: 2, name: 'same' },
        ],
      }),
      'job.errors.1.name: duplicate error name "same"',
    ],
  ])('RegisteredSeedManifest - rejects %s', (_what, input, issue) => {
    expect(issuesOf(input)).toEqual([issue]);
  });

  it('RegisteredSeedManifest - a name repeated within a group is reported once, by the shape rules', () => {
    const input = job(
      {},
      {
        inputs: {
          json: [
            { name: 'LEVEL', type: 'integer' },
            { name: 'LEVEL', type: 'string' },
          ],
        },
        command: 'run ${LEVEL}',
      },
    );
    expect(issuesOf(input)).toEqual(['job.interface.inputs.json.1.name: duplicate name "LEVEL"']);
  });

  it('RegisteredSeedManifest - a json input named like a file input is reported once, by the shape rules', () => {
    const input = job({}, { inputs: { files: [{ name: 'IN_FILE' }], json: [{ name: 'IN_FILE', type: 'string' }] } });
    expect(
      issuesOf({ ...input, job: { ...input.job, interface: { ...input.job.interface, command: 'run' } } }),
    ).toEqual(['job.interface.inputs.json.0.name: "IN_FILE" is also a file input']);
  });

  it('RegisteredSeedManifest - a stored manifest that breaks a registration rule still parses as SeedManifest', () => {
    const stored = job({}, { command: 'run ${MISSING}' });
    expect(SeedManifest.safeParse(stored).success).toBe(true);
    expect(RegisteredSeedManifest.safeParse(stored).success).toBe(false);
  });
});

describe('customScalarNames', () => {
  it('customScalarNames - lists the names that are not standard resources', () => {
    const manifest = SeedManifest.parse(
      job({
        resources: {
          scalar: [
            { name: 'cpus', value: 1 },
            { name: 'sharedMem', value: 64 },
            { name: 'chocolate', value: 1 },
            { name: 'gpus', value: 1 },
            { name: 'vanilla', value: 2 },
          ],
        },
      }),
    );
    expect(customScalarNames(manifest)).toEqual(['chocolate', 'vanilla']);
  });
});
