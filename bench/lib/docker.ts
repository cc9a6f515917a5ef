/**
 * A minimal Docker Engine API client over the local socket (node:http, keep-alive), for the raw Docker limits
 * that P2 and P3 compare the platform with: no CLI process per call, so the limit is Docker's own cost.
 */
import http from 'node:http';

const SOCKET = process.env.DOCKER_SOCKET ?? '/var/run/docker.sock';
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Answer {
  status: number;
  body: string;
}

function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: SOCKET,
        path,
        method,
        agent,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function expectOk(method: string, path: string, body?: unknown): Promise<string> {
  const answer = await call(method, path, body);
  if (answer.status >= 300 && answer.status !== 304) {
    throw new Error(`docker ${method} ${path}: ${answer.status} ${answer.body.slice(0, 300)}`);
  }
  return answer.body;
}

/** The container settings the node agent uses for a job (hardened defaults), so the raw limit runs the same thing. */
export function hardenedContainer(image: string, cmd: string[], labels: Record<string, string>) {
  return {
    Image: image,
    Cmd: cmd,
    User: '65534:65534',
    Labels: labels,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      Memory: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 1024,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NetworkMode: 'none',
      Tmpfs: { '/tmp': 'rw,size=64m' },
    },
  };
}

export const docker = {
  async create(name: string, spec: object): Promise<string> {
    return (
      JSON.parse(await expectOk('POST', `/containers/create?name=${encodeURIComponent(name)}`, spec)) as { Id: string }
    ).Id;
  },
  start: (id: string) => expectOk('POST', `/containers/${id}/start`).then(() => undefined),
  async wait(id: string): Promise<number> {
    return (JSON.parse(await expectOk('POST', `/containers/${id}/wait`)) as { StatusCode: number }).StatusCode;
  },
  remove: (id: string) => call('DELETE', `/containers/${id}?force=1&v=1`).then(() => undefined),
  async imageExists(image: string): Promise<boolean> {
    return (await call('GET', `/images/${encodeURIComponent(image)}/json`)).status === 200;
  },
  /** Ids of containers (any state) carrying the label. */
  async listByLabel(label: string): Promise<string[]> {
    const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
    return (JSON.parse(await expectOk('GET', `/containers/json?all=1&filters=${filters}`)) as { Id: string }[]).map(
      (c) => c.Id,
    );
  },
};

export interface ContainerEvent {
  /** Container name. */
  name: string;
  /** The container's labels (and Docker's own attributes such as `image`). */
  attributes: Record<string, string>;
  action: string;
  /** When Docker says it happened, epoch ms with sub-ms precision. */
  atMs: number;
}

/**
 * Follows Docker's container events for containers carrying `label` (the daemon's own timestamps). Returns a
 * function that stops following.
 */
export function followContainerEvents(
  label: string,
  actions: string[],
  onEvent: (e: ContainerEvent) => void,
): () => void {
  const filters = encodeURIComponent(JSON.stringify({ type: ['container'], event: actions, label: [label] }));
  const req = http.request({ socketPath: SOCKET, path: `/events?filters=${filters}`, method: 'GET' }, (res) => {
    let partial = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        const event = JSON.parse(line) as {
          Action: string;
          timeNano: number;
          Actor: { Attributes: Record<string, string> & { name: string } };
        };
        onEvent({
          name: event.Actor.Attributes.name,
          attributes: event.Actor.Attributes,
          action: event.Action,
          atMs: event.timeNano / 1e6,
        });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return () => req.destroy();
}
