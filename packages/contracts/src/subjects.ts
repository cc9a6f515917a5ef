/**
 * NATS subjects, streams and durable consumer names. Built only here, never concatenated at call sites.
 *
 * Scheme (P = prefix, "scale" in production, unique per test so tests can share one server):
 *   P.v1.cmd.<owner>.<verb>             request/reply commands, answered by the owner after commit
 *   P.v1.cmdq.<owner>.<verb>            durable commands, applied by the owner later (stream P_COMMANDS, work queue)
 *   P.v1.evt.job.status                 job status events              (stream P_EVENTS)
 *   P.v1.node.<agentId>.launch|kill     scheduler → agent commands     (stream P_NODE_CMDS, work queue)
 *   P.v1.agent.task-update              agent → scheduler results      (stream P_AGENT)
 *   P.v1.agent.heartbeat                agent → scheduler, core NATS (a lost beat is repaired by the next)
 *   P.v1.logs.<jobExeId>.<stdout|stderr> container output, one message per line (stream P_LOGS)
 */

const TOKEN = /^[A-Za-z0-9_-]+$/;

function token(value: string | number, what: string): string {
  const text = String(value);
  if (!TOKEN.test(text)) throw new TypeError(`invalid ${what} for a NATS subject token: "${text}"`);
  return text;
}

export type LogStreamName = 'stdout' | 'stderr';
export type NodeCommandVerb = 'launch' | 'kill';
export type CommandOwner = 'scheduler' | 'recipes';

export interface Subjects {
  readonly prefix: string;
  command(owner: CommandOwner, verb: string): string;
  /** A durable (JetStream) command: accepted once stored, applied by the owner's durable consumer. */
  queuedCommand(owner: CommandOwner, verb: string): string;
  /** Filter matching every durable command for one owner. */
  queuedCommands(owner: CommandOwner): string;
  jobStatusEvent(): string;
  nodeCommand(agentId: string, verb: NodeCommandVerb): string;
  /** Filter matching every command for one agent. */
  nodeCommands(agentId: string): string;
  taskUpdate(): string;
  heartbeat(): string;
  log(jobExeId: number, stream: LogStreamName): string;
  /** Filter matching both streams of one execution. */
  logs(jobExeId: number): string;
  streams: {
    events: StreamSpec;
    nodeCommands: StreamSpec;
    agent: StreamSpec;
    logs: StreamSpec;
    commands: StreamSpec;
  };
  consumers: {
    schedulerTaskUpdates: string;
    /** The scheduler's durable consumer of its queued commands (P_COMMANDS). */
    schedulerCommands: string;
    agent(agentId: string): string;
    recipeEngineJobEvents: string;
    /** The log archiver's durable consumer on the LOGS stream; the API reads its ack floor. */
    logArchiver: string;
  };
}

export interface StreamSpec {
  name: string;
  subjects: string[];
}

/** Subject builders for one prefix ("scale" unless isolating tests). */
export function subjectsFor(prefix = 'scale'): Subjects {
  const p = prefix
    .split('.')
    .map((part) => token(part, 'prefix'))
    .join('.');
  const streamPrefix = p.replaceAll('.', '_').toUpperCase();
  return {
    prefix: p,
    command: (owner, verb) => `${p}.v1.cmd.${token(owner, 'owner')}.${token(verb, 'verb')}`,
    queuedCommand: (owner, verb) => `${p}.v1.cmdq.${token(owner, 'owner')}.${token(verb, 'verb')}`,
    queuedCommands: (owner) => `${p}.v1.cmdq.${token(owner, 'owner')}.*`,
    jobStatusEvent: () => `${p}.v1.evt.job.status`,
    nodeCommand: (agentId, verb) => `${p}.v1.node.${token(agentId, 'agent id')}.${token(verb, 'verb')}`,
    nodeCommands: (agentId) => `${p}.v1.node.${token(agentId, 'agent id')}.*`,
    taskUpdate: () => `${p}.v1.agent.task-update`,
    heartbeat: () => `${p}.v1.agent.heartbeat`,
    log: (jobExeId, stream) => `${p}.v1.logs.${token(jobExeId, 'job execution id')}.${token(stream, 'log stream')}`,
    logs: (jobExeId) => `${p}.v1.logs.${token(jobExeId, 'job execution id')}.*`,
    streams: {
      events: { name: `${streamPrefix}_EVENTS`, subjects: [`${p}.v1.evt.>`] },
      nodeCommands: { name: `${streamPrefix}_NODE_CMDS`, subjects: [`${p}.v1.node.*.*`] },
      agent: { name: `${streamPrefix}_AGENT`, subjects: [`${p}.v1.agent.task-update`] },
      logs: { name: `${streamPrefix}_LOGS`, subjects: [`${p}.v1.logs.*.*`] },
      commands: { name: `${streamPrefix}_COMMANDS`, subjects: [`${p}.v1.cmdq.*.*`] },
    },
    consumers: {
      schedulerTaskUpdates: 'scheduler-task-updates',
      schedulerCommands: 'scheduler-commands',
      agent: (agentId) => `agent-${token(agentId, 'agent id')}`,
      recipeEngineJobEvents: 'recipe-engine-job-events',
      logArchiver: 'log-archiver',
    },
  };
}
