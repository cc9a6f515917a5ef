export {
  JobInputFile,
  ScaleFile,
  type ScaleFileType,
  Workspace,
  type WorkspaceJsonConfig,
} from './entities/files.ts';
export {
  Recipe,
  RecipeCondition,
  RecipeInputFile,
  RecipeNode,
  RecipeType,
  RecipeTypeRevision,
} from './entities/recipes.ts';
export {
  ENTITIES,
  ErrorRow,
  Job,
  JobExe,
  JobType,
  type JobTypeConfiguration,
  JobTypeRevision,
  NodeRow,
} from './entities.ts';
export { type EntityManager, MIGRATIONS, migrate, type Orm, type OrmOptions, openOrm } from './orm.ts';
