export { BUILTIN_ERRORS, type BuiltinError, BuiltinErrorName } from './builtin-errors.ts';
export { canonicalJson } from './canonical-json.ts';
export { Data, dataFromLegacy, LegacyJobData, legacyFromData } from './data.ts';
export { CommandReply, ErrorBody, ErrorCode, FieldError, fieldErrors } from './errors.ts';
export {
  BROKER_TYPES,
  BrokerRef,
  ContainerOptions,
  HostPath,
  MAX_FILE_PATH,
  MountSource,
  mediaTypeOf,
  OutputFile,
  OutputWorkspace,
  StagedFile,
  SUPPORTED_BROKER_TYPES,
  WorkspaceConfiguration,
  WorkspacePath,
} from './files.ts';
export {
  ErrorCategory,
  ExecutionStatus,
  FINAL_JOB_STATUSES,
  JobStatus,
  NodeState,
  Resources,
} from './job.ts';
export { LogRecord, logSubjectParts, normalizeLogText } from './logs.ts';
export {
  ExecutionFailure,
  ExecutionToken,
  Heartbeat,
  JobStatusEvent,
  KillExecution,
  LaunchExecution,
  QueueJobsRequest,
  QueueJobsResult,
  TaskResult,
  TaskUpdate,
} from './messages.ts';
export {
  CreateRecipeRequest,
  CreateRecipeResult,
  JobConfigurationOverride,
  RecipeConfiguration,
  RecipeJobLink,
  RecipeJobsRequest,
  type RecipeJobsRequestInput,
  RecipeJobsResult,
  ReprocessRecipeRequest,
  ReprocessRecipeResult,
} from './recipe.ts';
export {
  acceptanceOf,
  ConditionNodeType,
  DataFilter,
  DataFilterRule,
  FILTER_CONDITIONS,
  FILTER_TYPES,
  FilterCondition,
  FilterType,
  InterfaceFile,
  InterfaceJson,
  JobNodeType,
  MAX_RECIPE_DEPTH,
  MAX_RECIPE_NODES,
  NODE_NAME,
  NodeType,
  RecipeConnection,
  RecipeDefinition,
  type RecipeDefinitionInput,
  RecipeDependency,
  RecipeInterface,
  RecipeNodeDefinition,
  RecipeNodeType,
  topologicalOrder,
} from './recipe-definition.ts';
export {
  canonical,
  type DiffItem,
  type DiffNodeType,
  diffRecipeDefinitions,
  ForcedNodes,
  forcedNodesOfSubRecipe,
  NODE_DIFF_STATUSES,
  type NodeDiff,
  type NodeDiffStatus,
  type RecipeDiff,
} from './recipe-diff.ts';
export {
  type DataIssue,
  dataIssues,
  interfaceParams,
  jsonTypeAccepts,
  jsonTypeOf,
  manifestInterfaces,
  type NodeInterfaces,
  type Param,
  type Params,
} from './recipe-interfaces.ts';
export {
  type DefinitionCatalog,
  type DefinitionIssue,
  type DefinitionReferences,
  type DefinitionValidation,
  definitionReferences,
  validateRecipeDefinition,
} from './recipe-validation.ts';
export { DEFAULT_RESOURCES, jobResources } from './resources.ts';
export {
  CancelJobsRequest,
  CancelJobsResult,
  JobFilter,
  MAX_RETURNED_IDS,
  QueueMode,
  RequeueJobsRequest,
  RequeueJobsResult,
  UpdateNodeRequest,
  UpdateNodeResult,
  UpdateSchedulerRequest,
  UpdateSchedulerResult,
} from './scheduler-commands.ts';
export {
  JsonType,
  SeedError,
  SeedManifest,
  type SeedManifestInput,
  SeedScalarResource,
  seedScalar,
} from './seed.ts';
export {
  type CommandScan,
  commandVariables,
  customScalarNames,
  PLATFORM_ENV_VARS,
  RegisteredSeedManifest,
  type SeedIssue,
  STANDARD_SCALAR_RESOURCES,
  seedEnvName,
  seedRegistrationIssues,
} from './seed-rules.ts';
export {
  type CommandOwner,
  type LogStreamName,
  type NodeCommandVerb,
  type StreamSpec,
  type Subjects,
  subjectsFor,
} from './subjects.ts';
