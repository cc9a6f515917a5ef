/**
 * Scale's builtin errors (reference/scale.md 3.3): seeded into the error table by the initial migration.
 * `exitCode` is the code a platform task (pre/post) exits with for that error.
 */
import type { ErrorCategory } from './job.ts';

export interface BuiltinError {
  name: string;
  title: string;
  description: string;
  category: ErrorCategory;
  shouldBeRetried: boolean;
  exitCode?: number;
}

const system = (
  name: string,
  title: string,
  description: string,
  shouldBeRetried = true,
  exitCode?: number,
): BuiltinError => ({
  name,
  title,
  description,
  category: 'SYSTEM',
  shouldBeRetried,
  ...(exitCode === undefined ? {} : { exitCode }),
});
const algorithm = (name: string, title: string, description: string, exitCode?: number): BuiltinError => ({
  name,
  title,
  description,
  category: 'ALGORITHM',
  shouldBeRetried: false,
  ...(exitCode === undefined ? {} : { exitCode }),
});

export const BUILTIN_ERRORS: readonly BuiltinError[] = [
  system('unknown', 'Unknown Error', 'The job failed for an unknown reason in a platform task.', true, 1),
  system('database', 'Database Error', 'The job could not connect to the database.', true, 2),
  system('database-operation', 'Database Operation Error', 'A database operation failed.', true, 3),
  system('filesystem-io', 'Filesystem I/O Error', 'A filesystem operation failed on the node.', true, 4),
  algorithm(
    'invalid-results-manifest',
    'Invalid Results Manifest',
    'seed.outputs.json did not match the manifest outputs.',
    5,
  ),
  system('missing-setting', 'Missing Setting', 'A required setting has no value in the job configuration.', false, 6),
  algorithm('missing-required-output', 'Missing Required Output', 'A required output file was not produced.', 7),
  system('deleted-file', 'Deleted File', 'An input file has been deleted.', false, 8),
  system('missing-file', 'Missing File', 'An input file could not be found.', false, 9),
  system('missing-mount', 'Missing Mount', 'A required mount has no configuration.', false, 10),
  system('output-capture-error', 'Output Capture Error', 'The outputs of the job could not be captured.', true, 20),
  algorithm(
    'unexpected-multiple-outputs',
    'Unexpected Multiple Outputs',
    'An output pattern matched several files but multiple is false.',
    26,
  ),
  system('ingest-timeout', 'Ingest Timeout', 'An ingest did not finish in time.'),
  system('task-launch', 'Task Launch Error', 'A task of the execution could not be launched.'),
  system('docker-task-launch', 'Docker Task Launch Error', 'Docker could not launch the container.'),
  system('docker-terminated', 'Docker Terminated', 'The container was terminated by Docker.'),
  system('node-lost', 'Node Lost', 'The node running the execution stopped answering.'),
  system('resource-starvation', 'Resource Starvation', 'The execution was starved of resources.'),
  system('launch-timeout', 'Launch Timeout', 'The execution did not start in time.'),
  system('pull-timeout', 'Pull Timeout', 'The image pull did not finish in time.'),
  system('pre-timeout', 'Pre-task Timeout', 'The pre task did not finish in time.'),
  system('post-timeout', 'Post-task Timeout', 'The post task did not finish in time.'),
  system('system-timeout', 'System Job Timeout', 'A system job did not finish in time.'),
  system('pull', 'Docker Pull Failed', 'The image could not be pulled or was not present on the node.'),
  system('scheduler-lost', 'Scheduler Lost', 'The scheduler lost track of the execution.'),
  algorithm('timeout', 'Job Timeout', 'The job ran longer than the timeout of its manifest.'),
  algorithm('output-too-large', 'Output Too Large', 'The job wrote more output than the disk allocated to it.'),
  algorithm(
    'algorithm-unknown',
    'Unknown Algorithm Error',
    'The job exited with a code that its manifest does not map.',
  ),
  system('canceled', 'Canceled', 'The job was canceled.', false),
];

export const BuiltinErrorName = {
  unknown: 'unknown',
  algorithmUnknown: 'algorithm-unknown',
  timeout: 'timeout',
  nodeLost: 'node-lost',
  dockerTaskLaunch: 'docker-task-launch',
  pull: 'pull',
  invalidResultsManifest: 'invalid-results-manifest',
  missingRequiredOutput: 'missing-required-output',
  outputCaptureError: 'output-capture-error',
  launchTimeout: 'launch-timeout',
} as const;
