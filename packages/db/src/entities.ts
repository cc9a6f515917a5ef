/**
 * MikroORM entities for the schema of migrations/. Relations are plain id columns: each table has one writing
 * service, and hot paths use guarded SQL (see repositories in the services), so the ORM maps rows and nothing more.
 */
import { defineEntity, p } from '@mikro-orm/core';
import type {
  Data,
  ErrorCategory,
  ExecutionStatus,
  JobStatus,
  NodeState,
  Resources,
  SeedManifest,
  TaskResult,
} from '@scale/contracts';
import { FILE_ENTITIES } from './entities/files.ts';
import { RECIPE_ENTITIES } from './entities/recipes.ts';

const timestamps = {
  created: p.datetime().onCreate(() => new Date()),
  lastModified: p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
};

export const JobTypeSchema = defineEntity({
  name: 'JobType',
  tableName: 'job_type',
  properties: {
    id: p.integer().primary(),
    name: p.string(),
    version: p.string(),
    title: p.string().nullable(),
    description: p.text().nullable(),
    iconCode: p.string().nullable(),
    isSystem: p.boolean().default(false),
    isLongRunning: p.boolean().default(false),
    isActive: p.boolean().default(true),
    isPaused: p.boolean().default(false),
    isPublished: p.boolean().default(false),
    maxScheduled: p.integer().nullable(),
    maxTries: p.integer().default(3),
    revisionNum: p.integer().default(1),
    dockerImage: p.text(),
    manifest: p.json<SeedManifest>(),
    configuration: p.json<JobTypeConfiguration>(),
    deprecated: p.datetime().nullable(),
    paused: p.datetime().nullable(),
    ...timestamps,
  },
});
export class JobType extends JobTypeSchema.class {}
JobTypeSchema.setClass(JobType);

/** v6 job type configuration (the part of Scale's job type that the Seed manifest does not hold). */
export interface JobTypeConfiguration {
  priority?: number;
  output_workspaces?: { default?: string; outputs?: Record<string, string> };
  mounts?: Record<string, unknown>;
  settings?: Record<string, string | null>;
}

export const JobTypeRevisionSchema = defineEntity({
  name: 'JobTypeRevision',
  tableName: 'job_type_revision',
  properties: {
    id: p.integer().primary(),
    jobTypeId: p.integer(),
    revisionNum: p.integer(),
    dockerImage: p.text(),
    manifest: p.json<SeedManifest>(),
    created: p.datetime().onCreate(() => new Date()),
  },
});
export class JobTypeRevision extends JobTypeRevisionSchema.class {}
JobTypeRevisionSchema.setClass(JobTypeRevision);

export const ErrorSchema = defineEntity({
  name: 'ErrorRow',
  tableName: 'error',
  properties: {
    id: p.integer().primary(),
    name: p.string(),
    jobTypeName: p.string().nullable(),
    title: p.string().nullable(),
    description: p.text().nullable(),
    category: p.string().$type<ErrorCategory>(),
    isBuiltin: p.boolean().default(false),
    shouldBeRetried: p.boolean().default(false),
    ...timestamps,
  },
});
export class ErrorRow extends ErrorSchema.class {}
ErrorSchema.setClass(ErrorRow);

export const NodeSchema = defineEntity({
  name: 'NodeRow',
  tableName: 'node',
  properties: {
    id: p.integer().primary(),
    agentId: p.string(),
    hostname: p.string(),
    resources: p.json<Resources>(),
    isPaused: p.boolean().default(false),
    pauseReason: p.text().nullable(),
    isActive: p.boolean().default(true),
    state: p.string().$type<NodeState>().default('READY'),
    agentVersion: p.string().nullable(),
    lastHeartbeat: p.datetime().nullable(),
    deprecated: p.datetime().nullable(),
    ...timestamps,
  },
});
export class NodeRow extends NodeSchema.class {}
NodeSchema.setClass(NodeRow);

export const JobSchema = defineEntity({
  name: 'Job',
  tableName: 'job',
  properties: {
    id: p.bigint('number').primary(),
    jobTypeId: p.integer(),
    jobTypeRevId: p.integer(),
    status: p.string().$type<JobStatus>(),
    priority: p.integer(),
    maxTries: p.integer(),
    numExes: p.integer().default(0),
    input: p.json<Data>(),
    inputFileSize: p.double().default(0),
    output: p.json<Data>().nullable(),
    configuration: p.json<Record<string, unknown>>().nullable(),
    errorId: p.integer().nullable(),
    nodeId: p.integer().nullable(),
    isSuperseded: p.boolean().default(false),
    recipeId: p.bigint('number').nullable(),
    batchId: p.bigint('number').nullable(),
    /** Parked: no node could ever fit it; skipped by scheduling until the cluster's capacity changes. */
    unplaceable: p.boolean().default(false),
    /** Why the scheduler did not place this queued job in its last pass. */
    queueReason: p.text().nullable(),
    queued: p.datetime().nullable(),
    started: p.datetime().nullable(),
    ended: p.datetime().nullable(),
    lastStatusChange: p.datetime().onCreate(() => new Date()),
    ...timestamps,
  },
});
export class Job extends JobSchema.class {}
JobSchema.setClass(Job);

export const JobExeSchema = defineEntity({
  name: 'JobExe',
  tableName: 'job_exe',
  properties: {
    id: p.bigint('number').primary(),
    jobId: p.bigint('number'),
    jobTypeId: p.integer(),
    exeNum: p.integer(),
    clusterId: p.string(),
    nodeId: p.integer(),
    epoch: p.bigint('number'),
    dockerImage: p.text(),
    timeout: p.integer(),
    inputFileSize: p.double().default(0),
    resources: p.json<Resources>(),
    configuration: p.json<Record<string, unknown>>(),
    status: p.string().$type<ExecutionStatus>().default('RUNNING'),
    errorId: p.integer().nullable(),
    taskResults: p.json<TaskResult[]>().nullable(),
    output: p.json<Data>().nullable(),
    queued: p.datetime(),
    started: p.datetime().nullable(),
    ended: p.datetime().nullable(),
    created: p.datetime().onCreate(() => new Date()),
  },
});
export class JobExe extends JobExeSchema.class {}
JobExeSchema.setClass(JobExe);

export const ENTITIES = [
  JobTypeSchema,
  JobTypeRevisionSchema,
  ErrorSchema,
  NodeSchema,
  JobSchema,
  JobExeSchema,
  ...FILE_ENTITIES,
  ...RECIPE_ENTITIES,
];
