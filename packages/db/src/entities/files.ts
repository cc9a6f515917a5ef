/** Workspaces and the files catalogue (migration Migration20261123110000_workspaces_files). */
import { defineEntity, p } from '@mikro-orm/core';

/** Scale's workspace `json_config`: `{"broker": {"type": "host", "host_path": "/..."}}`. */
export interface WorkspaceJsonConfig {
  version?: string;
  broker: { type: string; host_path?: string; [key: string]: unknown };
}

export type ScaleFileType = 'SOURCE' | 'PRODUCT';

export const WorkspaceSchema = defineEntity({
  name: 'Workspace',
  tableName: 'workspace',
  properties: {
    id: p.integer().primary(),
    name: p.string(),
    title: p.string(),
    description: p.text().nullable(),
    baseUrl: p.string().nullable(),
    isActive: p.boolean().default(true),
    jsonConfig: p.json<WorkspaceJsonConfig>(),
    isMoveEnabled: p.boolean().default(true),
    created: p.datetime().onCreate(() => new Date()),
    deprecated: p.datetime().nullable(),
    lastModified: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Workspace extends WorkspaceSchema.class {}
WorkspaceSchema.setClass(Workspace);

export const ScaleFileSchema = defineEntity({
  name: 'ScaleFile',
  tableName: 'scale_file',
  properties: {
    id: p.bigint('number').primary(),
    fileName: p.string(),
    fileType: p.string().$type<ScaleFileType>().default('SOURCE'),
    mediaType: p.string(),
    /** Bytes. */
    fileSize: p.bigint('number'),
    dataTypeTags: p.json<string[]>(),
    /** Relative to the workspace root. */
    filePath: p.string(),
    workspaceId: p.integer(),
    isDeleted: p.boolean().default(false),
    deleted: p.datetime().nullable(),
    uuid: p.string().nullable(),
    metaData: p.json<Record<string, unknown>>().nullable(),
    countries: p.json<string[]>(),
    dataStarted: p.datetime().nullable(),
    dataEnded: p.datetime().nullable(),
    sourceStarted: p.datetime().nullable(),
    sourceEnded: p.datetime().nullable(),
    sourceSensorClass: p.text().nullable(),
    sourceSensor: p.text().nullable(),
    sourceCollection: p.text().nullable(),
    sourceTask: p.text().nullable(),
    jobExeId: p.bigint('number').nullable(),
    jobId: p.bigint('number').nullable(),
    jobTypeId: p.integer().nullable(),
    jobOutput: p.string().nullable(),
    recipeId: p.bigint('number').nullable(),
    recipeNode: p.string().nullable(),
    recipeTypeId: p.integer().nullable(),
    batchId: p.bigint('number').nullable(),
    isSuperseded: p.boolean().default(false),
    superseded: p.datetime().nullable(),
    isPublished: p.boolean().default(false),
    hasBeenPublished: p.boolean().default(false),
    published: p.datetime().nullable(),
    unpublished: p.datetime().nullable(),
    created: p.datetime().onCreate(() => new Date()),
    lastModified: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class ScaleFile extends ScaleFileSchema.class {}
ScaleFileSchema.setClass(ScaleFile);

export const JobInputFileSchema = defineEntity({
  name: 'JobInputFile',
  tableName: 'job_input_file',
  properties: {
    id: p.bigint('number').primary(),
    jobId: p.bigint('number'),
    inputFileId: p.bigint('number'),
    jobInput: p.string(),
    created: p.datetime().onCreate(() => new Date()),
  },
});
export class JobInputFile extends JobInputFileSchema.class {}
JobInputFileSchema.setClass(JobInputFile);

export const FILE_ENTITIES = [WorkspaceSchema, ScaleFileSchema, JobInputFileSchema];
