// `pnpm test:package`: the packages as a user gets them. Builds and packs @k8s-netsim/core,
// /testing and /cli, checks what each tarball ships, installs the tarballs with npm into a fresh
// project outside the repository, and there: plain `node` imports the library and traces a
// packet; a strict `tsc` (skipLibCheck false) type-checks a file using the public API and the
// kit; vitest runs a user's property test written with the kit; `npx netsim --help` runs.
// Prints one line per check and a closing "N passed, N failed".

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const PNPM = ['-y', 'pnpm@10.34.8'];
const PACKAGES = ['core', 'testing', 'cli'];
const keep = process.argv.includes('--keep');

let passed = 0;
let failed = 0;
function check(name, fn) {
  const t0 = performance.now();
  try {
    const note = fn();
    passed++;
    console.log(`ok   ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)${note ? `: ${note}` : ''}`);
  } catch (e) {
    failed++;
    const out = [e.stdout, e.stderr].filter(Boolean).join('\n').trim();
    console.log(`FAIL ${name}: ${e.message.split('\n')[0]}${out ? `\n${out}` : ''}`);
  }
}

function run(cmd, args, cwd, env = {}) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

const work = mkdtempSync(join(tmpdir(), 'netsim-consumer-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');

check('pnpm build (tsc -b)', () => void run('npx', [...PNPM, 'build'], root));

const tgz = {};
check('pnpm pack each package', () => {
  for (const p of PACKAGES) run('npx', [...PNPM, 'pack', '--pack-destination', tarballs], join(root, 'packages', p));
  const files = readdirSync(tarballs);
  for (const p of PACKAGES)
    tgz[p] = join(
      tarballs,
      files.find((f) => f.startsWith(`k8s-netsim-${p}-`)),
    );
  return PACKAGES.map((p) => `${p} ${(statSync(tgz[p]).size / 1024).toFixed(0)} kB`).join(', ');
});

check('tarballs ship dist/, README and LICENSE only; manifests point at dist/', () => {
  for (const p of PACKAGES) {
    const list = run('tar', ['tzf', tgz[p]], work).trim().split('\n');
    const bad = list.filter((f) => !/^package\/(dist\/.*\.(js|d\.ts|js\.map|d\.ts\.map)|bin\/netsim\.js|README\.md|LICENSE|package\.json)$/.test(f));
    if (bad.length) throw new Error(`${p} ships ${bad.slice(0, 5).join(', ')}`);
    for (const need of ['package/LICENSE', 'package/README.md', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/index.d.ts.map']) {
      if (!list.includes(need)) throw new Error(`${p} lacks ${need}`);
    }
    const manifest = JSON.parse(run('tar', ['xzOf', tgz[p], 'package/package.json'], work));
    const text = JSON.stringify(manifest);
    if (manifest.private || /workspace:|src\/|@k8s-netsim\/source|tsx/.test(text)) throw new Error(`${p}'s package.json: ${text}`);
    if (manifest.license !== 'Apache-2.0' || manifest.engines?.node !== '>=20') throw new Error(`${p}: license ${manifest.license}, engines ${JSON.stringify(manifest.engines)}`);
  }
});

const t0 = performance.now();
let firstTrace = 0;
check('npm install the tarballs into a fresh project outside the repository', () => {
  cpSync(join(here, 'consumer'), app, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  for (const p of PACKAGES) pkg.dependencies[`@k8s-netsim/${p}`] = `file:${tgz[p]}`;
  // The kit's dependency on core resolves to the same tarball, not the registry.
  pkg.overrides = { '@k8s-netsim/core': '$@k8s-netsim/core' };
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
});

check('plain node imports @k8s-netsim/core and traces a packet', () => {
  const out = run('node', ['trace.mjs'], app).trim();
  firstTrace = (performance.now() - t0) / 1000;
  if (!/^delivered to default\/web-[a-z0-9]+-[a-z0-9]{5} /.test(out)) throw new Error(`unexpected output: ${out}`);
  return out;
});

check('tsc --strict, skipLibCheck false: the public API, the kit and its matchers type-check', () => {
  run('npx', ['tsc', '-p', 'tsconfig.json'], app);
});

check("vitest runs a user's property test written with the kit", () => {
  const out = run('npx', ['vitest', 'run'], app, { CI: '' });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colours vitest prints.
  const m = /Tests\s+(\d+) passed/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
  if (!m) throw new Error(out);
  return `${m[1]} tests passed`;
});

check('npx netsim --help', () => {
  const out = run('npx', ['netsim', '--help'], app);
  if (!out.startsWith('usage: netsim COMMAND [options]\n') || !out.includes('  netsim run FILE')) throw new Error(out);
});

check('the README shows the property test the consumer runs', () => {
  const spec = readFileSync(join(here, 'consumer', 'cluster-rules.spec.ts'), 'utf8').trim();
  if (!readFileSync(join(root, 'README.md'), 'utf8').includes(spec)) throw new Error('README.md does not contain test/package/consumer/cluster-rules.spec.ts verbatim');
});

if (firstTrace) console.log(`install to first trace: ${firstTrace.toFixed(1)} s`);
if (keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
