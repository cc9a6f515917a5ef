/**
 * Dependency rules of DESIGN.md that the linter cannot express: services never import each other, contracts
 * depends on zod only, runtime on contracts, domain code is pure, node agents never touch the database.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './platform.ts';

const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

interface Rule {
  applies: (file: string) => boolean;
  forbids: (specifier: string, file: string) => string | undefined;
}

const SERVICES = ['api', 'scheduler', 'node-agent', 'recipe-engine', 'log-archiver'];
const IO_LIBRARIES =
  /^(@nats-io\/|@mikro-orm\/|dockerode|pino|pg$|fastify|@scale\/(db|runtime)|node:(fs|net|http|child_process|os))/;

const rules: Rule[] = [
  {
    applies: (f) => f.startsWith('services/'),
    forbids: (spec, f) => {
      const own = f.split('/')[1];
      const other = SERVICES.find(
        (s) => s !== own && (spec === `@scale/${s}` || spec.includes(`services/${s}/`) || spec.includes(`../${s}/`)),
      );
      return other ? `imports service ${other}` : undefined;
    },
  },
  {
    applies: (f) => f.startsWith('packages/contracts/src/') && !f.endsWith('.test.ts'),
    forbids: (spec) =>
      spec === 'zod' || spec.startsWith('.') ? undefined : `contracts may depend on zod only, not ${spec}`,
  },
  {
    applies: (f) => f.startsWith('packages/runtime/src/'),
    forbids: (spec) => (/^@scale\/(db|testkit)$/.test(spec) ? `runtime may not depend on ${spec}` : undefined),
  },
  {
    applies: (f) => /\/src\/domain\//.test(f) && !f.endsWith('.test.ts'),
    forbids: (spec) => (IO_LIBRARIES.test(spec) ? `domain code must stay pure, not import ${spec}` : undefined),
  },
  {
    applies: (f) => f.startsWith('services/node-agent/'),
    forbids: (spec) =>
      spec === '@scale/db' || spec === 'pg' || spec.startsWith('@mikro-orm/')
        ? 'agents hold no database access'
        : undefined,
  },
];

const problems: string[] = [];
for (const top of ['packages', 'services']) {
  for (const path of files(join(ROOT, top))) {
    const file = relative(ROOT, path);
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      for (const rule of rules) {
        const problem = rule.applies(file) ? rule.forbids(specifier, file) : undefined;
        if (problem) problems.push(`${file}: ${problem}`);
      }
    }
  }
}
if (problems.length) {
  console.error(`dependency rules broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('dependency rules hold');
