import type { Resources } from '@scale/contracts';

/** Every dimension of a resource vector, custom scalars included, as name → amount. */
export function dimensions(r: Resources): Map<string, number> {
  const all = new Map<string, number>([
    ['cpus', r.cpus],
    ['mem', r.mem],
    ['disk', r.disk],
    ['gpus', r.gpus ?? 0],
  ]);
  for (const [name, amount] of Object.entries(r.custom ?? {})) all.set(name, amount);
  return all;
}

/** The dimensions where `need` exceeds `offer` (a missing custom scalar offers 0). */
export function shortfalls(need: Resources, offer: Resources): string[] {
  const offered = dimensions(offer);
  return [...dimensions(need)].filter(([name, amount]) => amount > (offered.get(name) ?? 0)).map(([name]) => name);
}

/** Whether `need` fits in `free`; allocation-free, as it runs for every (job, node) pair of a pass. */
export function fits(need: Resources, free: Resources): boolean {
  if (need.cpus > free.cpus || need.mem > free.mem || need.disk > free.disk || (need.gpus ?? 0) > (free.gpus ?? 0)) {
    return false;
  }
  if (need.custom) {
    for (const name in need.custom) if (need.custom[name]! > (free.custom?.[name] ?? 0)) return false;
  }
  return true;
}

export function subtract(a: Resources, b: Resources): Resources {
  const custom: Record<string, number> = { ...(a.custom ?? {}) };
  for (const [name, amount] of Object.entries(b.custom ?? {})) custom[name] = (custom[name] ?? 0) - amount;
  return {
    cpus: a.cpus - b.cpus,
    mem: a.mem - b.mem,
    disk: a.disk - b.disk,
    gpus: (a.gpus ?? 0) - (b.gpus ?? 0),
    ...(Object.keys(custom).length ? { custom } : {}),
  };
}

const UNITS: Record<string, string> = { cpus: 'cpus', mem: 'mem', disk: 'disk', gpus: 'gpus' };

/** "4 cpus", "64 GiB mem", "500 MiB disk", "2 fpga" */
export function describeAmount(name: string, amount: number): string {
  const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, ''));
  if (name === 'mem' || name === 'disk') {
    return amount >= 1024 ? `${round(amount / 1024)} GiB ${name}` : `${round(amount)} MiB ${name}`;
  }
  return `${round(amount)} ${UNITS[name] ?? name}`;
}

export function describeResources(r: Resources): string {
  return [...dimensions(r)]
    .filter(([name, amount]) => amount > 0 || name === 'cpus' || name === 'mem')
    .map(([name, amount]) => describeAmount(name, amount))
    .join(', ');
}
