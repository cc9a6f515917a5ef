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
