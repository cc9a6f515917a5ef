import type { Subjects } from '@scale/contracts';
import type { Orm } from '@scale/db';
import type { NatsConnection } from '@scale/runtime';

/** What every route plugin gets: clients and settings, never globals. */
export interface RouteDeps {
  orm: Orm;
  nc: NatsConnection;
  subjects: Subjects;
  version: string;
  commandTimeoutMs: number;
  logMaxLines: number;
  logReadTimeoutMs: number;
}

export interface RouteOptions {
  deps: RouteDeps;
}
