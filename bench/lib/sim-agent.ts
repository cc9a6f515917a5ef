/**
 * A simulated node agent: a real NATS client that speaks the agent protocol (packages/contracts/src/messages.ts)
 * but runs no containers. It heartbeats on core NATS, consumes its launch/kill commands from the NODE_CMDS work
 * queue through its own durable consumer (as services/node-agent does), and reports RUNNING then COMPLETED to
 * JetStream after a simulated run time, with the real agent's deterministic message ids.
 */
import { ExecutionToken, type Heartbeat, type Resources, type Subjects, type TaskUpdate } from '@scale/contracts';
import {
  connectNats,
  ensureDurableConsumer,
  type JetStreamClient,
  jetstream,
  type NatsConnection,
  publishDurable,
} from '@scale/runtime';
import { nowMs } from './stats.ts';

export interface ReceivedLaunch {
  token: ExecutionToken;
  /** When the launch command reached the agent (nowMs()). */
  receivedAt: number;
}

export interface SimAgentOptions {
  natsUrl: string;
  subjects: Subjects;
  agentId: string;
  /** What the node offers (cpus cores, mem/disk MiB). */
  resources: Resources;
  /** Heartbeat period; the real agent's default is 5000 ms. */
  heartbeatMs: number;
  /**
   * Simulated run time: RUNNING is reported at once, COMPLETED after this many ms (0: right away). null: the
   * execution stays RUNNING until the agent stops (a long job).
   */
  runMs: number | null;
  /** Called for every launch as it arrives. */
  onLaunch?: (launch: ReceivedLaunch, agent: SimAgent) => void;
}

export class SimAgent {
  readonly agentId: string;
  readonly launches: ReceivedLaunch[] = [];
  readonly kills: ExecutionToken[] = [];
  /** Executions this agent pretends to run (reported in every heartbeat). */
  readonly running = new Map<number, ExecutionToken>();
  /** When the last heartbeat was published (nowMs()), undefined before the first. */
  lastBeatAt: number | undefined;
  /** Task updates that could not be published (the bench reports them). */
  reportErrors = 0;

  #options: SimAgentOptions;
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  #beatTimer: NodeJS.Timeout | undefined;
  #messages: { close(): Promise<unknown> } | undefined;
  #loop: Promise<void> | undefined;
  #pending = new Set<Promise<void>>();
  #timers = new Set<NodeJS.Timeout>();
  #beatWaiters: (() => void)[] = [];

  constructor(options: SimAgentOptions) {
    this.#options = options;
    this.agentId = options.agentId;
  }

  /** Connects, creates its durable consumer, sends its first heartbeat and starts consuming. */
  async start(): Promise<void> {
    const { subjects, agentId } = this.#options;
    this.#nc = await connectNats(this.#options.natsUrl, `sim-agent-${agentId}`);
    this.#js = jetstream(this.#nc);
    await ensureDurableConsumer(
      this.#nc,
      subjects.streams.nodeCommands.name,
      subjects.consumers.agent(agentId),
      subjects.nodeCommands(agentId),
    );
    const consumer = await this.#js.consumers.get(
      subjects.streams.nodeCommands.name,
      subjects.consumers.agent(agentId),
    );
    const messages = await consumer.consume({ max_messages: 256 });
    this.#messages = messages;
    this.#loop = (async () => {
      for await (const m of messages) {
        const receivedAt = nowMs();
        m.ack();
        this.#handle(m.subject, m.json<{ token?: unknown; reason?: unknown }>(), receivedAt);
      }
    })();
    this.beat();
    this.#beatTimer = setInterval(() => this.beat(), this.#options.heartbeatMs);
  }

  /** Publishes one heartbeat now. */
  beat(): void {
    if (!this.#nc) return;
    const payload: Heartbeat = {
      agentId: this.agentId,
      hostname: `${this.agentId}.sim`,
      resources: this.#options.resources,
      running: [...this.running.keys()],
      at: new Date().toISOString(),
      agentVersion: 'bench-sim',
    };
    this.#nc.publish(this.#options.subjects.heartbeat(), JSON.stringify(payload));
    this.lastBeatAt = nowMs();
    for (const wake of this.#beatWaiters.splice(0)) wake();
  }

  /** Resolves right after the next heartbeat is published. */
  nextBeat(): Promise<void> {
    return new Promise((resolve) => this.#beatWaiters.push(resolve));
  }

  /**
   * Simulates a crash: heartbeats stop and nothing more is consumed or reported; its executions stay "running"
   * as far as the agent knew. Returns the time of its last heartbeat.
   */
  async crash(): Promise<number | undefined> {
    clearInterval(this.#beatTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#nc?.flush(); // the last heartbeat did leave the process before it died
    await this.#messages?.close();
    await this.#loop?.catch(() => undefined);
    await this.#nc?.close();
    this.#nc = undefined;
    return this.lastBeatAt;
  }

  /** Stops cleanly: pending reports are flushed, then the connection is drained. */
  async stop(): Promise<void> {
    clearInterval(this.#beatTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#messages?.close();
    await this.#loop?.catch(() => undefined);
    await Promise.allSettled([...this.#pending]);
    await this.#nc?.drain().catch(() => undefined);
    this.#nc = undefined;
  }

  #handle(subject: string, payload: { token?: unknown; reason?: unknown }, receivedAt: number): void {
    // Only the token is decoded: the full LaunchExecution parse would cost the bench process CPU the scheduler
    // needs on a 2-core machine; the token is what the agent reports back.
    const token = ExecutionToken.safeParse(payload.token);
    if (!token.success) return;
    if (subject.endsWith('.kill')) {
      this.kills.push(token.data);
      this.running.delete(token.data.jobExeId);
      return;
    }
    const launch = { token: token.data, receivedAt };
    this.launches.push(launch);
    this.running.set(token.data.jobExeId, token.data);
    this.#options.onLaunch?.(launch, this);
    this.#report({ status: 'RUNNING', token: token.data, agentId: this.agentId, at: new Date().toISOString() });
    const { runMs } = this.#options;
    if (runMs === null) return;
    const complete = () => {
      this.running.delete(token.data.jobExeId);
      this.#report({
        status: 'COMPLETED',
        token: token.data,
        agentId: this.agentId,
        at: new Date().toISOString(),
        output: { files: {}, json: {} },
        taskResults: [],
      });
    };
    if (runMs === 0) complete();
    else {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        complete();
      }, runMs);
      this.#timers.add(timer);
    }
  }

  #report(update: TaskUpdate): void {
    if (!this.#js) return;
    const id = update.token.jobExeId;
    const msgId = update.status === 'RUNNING' ? `${id}:RUNNING` : `${id}:END`;
    const work = publishDurable(this.#js, this.#options.subjects.taskUpdate(), update, msgId).catch(() => {
      this.reportErrors++;
    });
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }
}
