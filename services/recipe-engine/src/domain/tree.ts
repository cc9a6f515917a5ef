/**
 * What the engine knows about one recipe tree (a top-level recipe and its sub-recipes) at one moment, and the
 * commands that advancing it produces. Plain data: the adapters read it from Postgres and carry the commands out.
 */
import type { Data, ForcedNodes, JobConfigurationOverride, JobStatus, RecipeDefinition } from '@scale/contracts';

export interface JobNodeState {
  kind: 'job';
  jobId: number;
  status: JobStatus;
  /** Executions started so far; 0 while the recipe has not queued the job. */
  numExes: number;
  /** The job's output once it completed. */
  output: Data | null;
  isSuperseded: boolean;
}

export interface ConditionNodeState {
  kind: 'condition';
  conditionId: number;
  isAccepted: boolean;
  /** The data the filter was applied to, which is also what the condition passes on to its children. */
  data: Data;
}

export interface SubRecipeNodeState {
  kind: 'recipe';
  /** The sub-recipe, itself in the tree. */
  recipeId: number;
}

export type NodeState = JobNodeState | ConditionNodeState | SubRecipeNodeState;

/** What a superseded recipe had at a node, so its replacement can chain to it. */
export interface PreviousNode {
  jobId?: number;
  subRecipeId?: number;
}

export interface RecipeState {
  id: number;
  /** The parent recipe of a sub-recipe, null for a top-level one. */
  parentId: number | null;
  rootId: number;
  definition: RecipeDefinition;
  input: Data;
  /** From the recipe configuration: overrides the job types' priority. */
  priority?: number | undefined;
  /** From the recipe configuration: output workspaces, mounts and settings for every job inside it. */
  overrides?: JobConfigurationOverride | undefined;
  isCompleted: boolean;
  isSuperseded: boolean;
  /** The recipe this one replaced by a reprocess, and what it had at each node. */
  supersededRecipeId: number | null;
  previousNodes: Record<string, PreviousNode>;
  forcedNodes: ForcedNodes | null;
  nodes: Record<string, NodeState>;
}

/** A job type named by a definition, resolved to its id. Keyed by `name@version`. */
export interface JobTypeRef {
  id: number;
}

/** A recipe type revision named by a definition. Keyed by `name@revision`. */
export interface RecipeTypeRef {
  recipeTypeId: number;
  revisionId: number;
  definition: RecipeDefinition;
}

/** Catalogue facts of a file, for condition filters on files. */
export interface FileFacts {
  fileName: string;
  mediaType: string;
  dataTypes: string[];
  metaData: Record<string, unknown> | null;
}

export interface RecipeTree {
  rootId: number;
  recipes: Record<number, RecipeState>;
  jobTypes: Record<string, JobTypeRef>;
  recipeTypes: Record<string, RecipeTypeRef>;
  files: Record<number, FileFacts>;
  /** Jobs of recipes this tree superseded that no live recipe uses any more and that are not yet superseded. */
  staleJobIds: number[];
}

export const jobTypeKey = (name: string, version: string) => `${name}@${version}`;
export const recipeTypeKey = (name: string, revision: number) => `${name}@${revision}`;

export type Command =
  | {
      type: 'CREATE_JOB';
      recipeId: number;
      rootRecipeId: number;
      node: string;
      jobTypeId: number;
      revisionNum: number;
      status: 'PENDING' | 'BLOCKED' | 'QUEUED';
      /** Empty until the job is QUEUED. */
      input: Data;
      priority?: number;
      configuration?: JobConfigurationOverride;
      supersededJobId?: number;
    }
  | { type: 'QUEUE_JOB'; recipeId: number; node: string; jobId: number; input: Data }
  | { type: 'BLOCK_JOB'; recipeId: number; node: string; jobId: number }
  | { type: 'UNBLOCK_JOB'; recipeId: number; node: string; jobId: number }
  | {
      type: 'PROCESS_CONDITION';
      recipeId: number;
      rootRecipeId: number;
      node: string;
      data: Data;
      accepted: boolean;
    }
  | {
      type: 'CREATE_SUB_RECIPE';
      recipeId: number;
      rootRecipeId: number;
      node: string;
      recipeTypeId: number;
      revisionId: number;
      input: Data;
      priority?: number;
      /** The parent's output workspaces, mounts and settings: a sub-recipe's jobs get them too. */
      configuration?: JobConfigurationOverride;
      /** The sub-recipe the superseded parent had at this node, and what to force within it. */
      supersedes?: { recipeId: number; forcedNodes: ForcedNodes };
    }
  | { type: 'COMPLETE_RECIPE'; recipeId: number }
  | { type: 'SUPERSEDE_JOBS'; jobIds: number[] };

/** Commands the recipe engine carries out in its own tables. */
export type LocalCommand = Extract<Command, { type: 'PROCESS_CONDITION' | 'CREATE_SUB_RECIPE' | 'COMPLETE_RECIPE' }>;
/** Commands for the scheduler, which owns jobs. */
export type JobCommand = Exclude<Command, LocalCommand>;

export function isLocal(command: Command): command is LocalCommand {
  return (
    command.type === 'PROCESS_CONDITION' || command.type === 'CREATE_SUB_RECIPE' || command.type === 'COMPLETE_RECIPE'
  );
}

export function emptyData(): Data {
  return { files: {}, json: {} };
}
