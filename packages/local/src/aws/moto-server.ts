import { spawn } from 'node:child_process';
import { closeSync, existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OperationError } from '@stups/core';
import { freeLoopbackPort } from '../platform/loopback-port.js';
import { isRunning, type Ownership, stopPid } from '../platform/own-process.js';
import { ensurePrivateDir, openLogFile, readStateFile, writeStateFile } from '../platform/state-files.js';
import { MOTO_CAPACITY_PATCHES } from './moto-capacity-patches.js';
import { MOTO_LAUNCH_PATCHES } from './moto-launch-patches.js';

/**
 * moto_server as the local AWS: one process on an ephemeral loopback port, its PID, port and log in a
 * state directory, so that another process (`stups-local down`) can stop it by PID.
 */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL. */
  endpoint: string;
  port: number;
  pid: number;
  stateDir: string;
  /** SIGTERM (moto saves its state first when it keeps one), then SIGKILL after 15 s; resolves once it is gone. */
  stop(): Promise<void>;
  /** Wipes all emulated state (every account and region). */
  reset(): Promise<void>;
  /** Set when moto had not stopped cleanly and came back at its last snapshot: what was kept and lost. */
  restoredFromSnapshot?: string;
}

export interface StartMotoOptions {
  stateDir: string;
  /** Extra environment for moto_server (`undefined` removes an inherited variable). */
  env?: Record<string, string | undefined>;
  /** The executable; `moto_server` from PATH by default. */
  command?: string;
  /** How long to wait for moto to answer, in ms (default 30 s). */
  readyTimeoutMs?: number;
  /**
   * Load the small fidelity patches below into moto (default true). Without them, images created
   * with CreateImage report RootDeviceType "standard" and are invisible to a `root-device-type=ebs` search.
   */
  fidelityPatches?: boolean;
  /**
   * Keep the emulated state in this file between runs: moto saves it when stopped with SIGTERM and
   * loads it (and removes the file) at its next start. Without it, every start is an empty AWS.
   */
  stateFile?: string;
}

export const MOTO_PID_FILE = 'moto.pid';
export const MOTO_PORT_FILE = 'moto.port';
export const MOTO_LOG_FILE = 'moto.log';
/** The platform's emulated AWS state between runs (see StartMotoOptions.stateFile). */
export const MOTO_STATE_FILE = 'moto-state.pickle';
/** SIGTERM → exit: moto itself stops at once; saving a large state takes a few seconds. */
const MOTO_GRACE_MS = 15_000;
const PATCH_DIR = 'moto-patches';

const INSTALL_HINT =
  "Install moto with its server extras into the Python on PATH: pip install 'moto[server]' (check: python3 -c 'import moto', moto_server --help).";

/**
 * Loaded by Python at start-up through PYTHONPATH (sitecustomize), for what moto_server itself lacks.
 *
 * With STUPS_LOCAL_MOTO_PATCHES=1 it hooks the import of moto's AMI module and fixes two divergences
 * from AWS: CreateImage of an EBS-backed instance yields an EBS-backed image (moto 5.2.1 always
 * reports "standard"), and a DescribeImages search also finds other accounts' public images (moto
 * keeps each account's images apart; on AWS a public AMI is available to every account). Only
 * behaviour that AWS itself has is patched in. The patches of Auto Scaling groups, launch templates and
 * their CloudFormation updates are in moto-launch-patches.ts; the account's vCPU quota and the scaling
 * activities in moto-capacity-patches.ts.
 *
 * With STUPS_LOCAL_MOTO_STATE=<file> the emulated state outlives the process: when it exits (SIGTERM,
 * which moto_server turns into a normal exit, or Ctrl-C) every backend in use (stacks, groups, instances, load balancers, records, keys…) is pickled into the file (0600,
 * written to a temporary file and renamed), and at the next start it is loaded back before moto serves,
 * then the file is removed. While it runs, the state is also pickled every 30 s
 * (STUPS_LOCAL_MOTO_SNAPSHOT_SECONDS; 0: never) into <file>.snapshot when it changed (0600, atomic),
 * so that a moto killed without SIGTERM (kill -9, OOM) comes back at its last snapshot; the start says so
 * in moto.log ("RESTORED FROM SNAPSHOT … changes made after it are lost") and `up` repeats it. A clean
 * stop's file wins over a snapshot and removes it.
 * A file from another moto version, or one that cannot be read, is set aside as <file>.unreadable.
 */
const SITECUSTOMIZE = `# Written by stups-local (moto-server.ts): moto fidelity patches and state persistence. Safe to delete.
import importlib
import importlib.abc
import importlib.util
import os
import sys

_TARGET = "moto.ec2.models.amis"


def _patch(module):
    backend = module.AmiBackend
    original = backend.create_image

    def create_image(self, instance_id, *args, **kwargs):
        ami = original(self, instance_id, *args, **kwargs)
        instance = self.get_instance(instance_id)
        ami.root_device_type = getattr(instance, "root_device_type", None) or "ebs"
        return ami

    backend.create_image = create_image

    original_describe = backend.describe_images

    def describe_images(self, ami_ids=None, filters=None, exec_users=None, owners=None):
        # AWS: a public AMI is available to every account, so a search (DescribeImages without ImageIds)
        # also finds other accounts' public images; moto keeps each account's images apart.
        own = original_describe(self, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners)
        if ami_ids:
            return own
        from moto.ec2.models import ec2_backends

        wanted = [self.account_id if o == "self" else o for o in owners] if owners else None
        seen = set(self.amis) | {a.id for a in own}
        foreign = []
        for account_id, regions in list(dict.items(ec2_backends)):
            other = dict.get(regions, self.region_name) if account_id != self.account_id else None
            if other is None:
                continue
            for ami in original_describe(other, filters=filters, owners=wanted):
                if ami.is_public and ami.id not in seen:
                    seen.add(ami.id)
                    foreign.append(ami)
        return list(own) + foreign

    backend.describe_images = describe_images


class _Hook(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != _TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def patched_exec(module):
            exec_module(module)
            _patch(module)

        loader.exec_module = patched_exec
        return spec


if os.environ.get("STUPS_LOCAL_MOTO_PATCHES") == "1":
    sys.meta_path.insert(0, _Hook())
${MOTO_LAUNCH_PATCHES}
${MOTO_CAPACITY_PATCHES}

def _private_key(der):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_der_private_key(der, None)


def _public_key(der):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_der_public_key(der)


def _certificate(der):
    from cryptography import x509

    return x509.load_der_x509_certificate(der)


def _persist(path):
    import atexit
    import io
    import pickle
    import signal
    import threading

    import moto
    from moto.core.base_backend import BackendDict

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization as ser

    lock_types = {type(threading.Lock()): threading.Lock, type(threading.RLock()): threading.RLock}

    class _Pickler(pickle.Pickler):
        # Locks and keys cannot be pickled: a fresh, unlocked lock stands in for each lock; keys and
        # certificates (ACM, IAM, KMS, EC2 key pairs) travel as DER and are loaded back from it.
        def reducer_override(self, obj):
            make = lock_types.get(type(obj))
            if make:
                return (make, ())
            if not type(obj).__module__.startswith("cryptography."):
                return NotImplemented
            if isinstance(obj, x509.Certificate):
                return (_certificate, (obj.public_bytes(ser.Encoding.DER),))
            if hasattr(obj, "private_bytes"):
                der = obj.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())
                return (_private_key, (der,))
            if hasattr(obj, "public_bytes"):
                der = obj.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)
                return (_public_key, (der,))
            return NotImplemented

    def say(line):
        print("stups-local: " + line, file=sys.stderr, flush=True)

    def in_use():
        # Each BackendDict in use, by a module attribute that holds it (restored into that same object).
        wanted = {id(b): b for b in BackendDict._instances}
        found = {}
        for name, module in list(sys.modules.items()):
            if module is None or not name.startswith("moto."):
                continue
            for attr, value in list(vars(module).items()):
                if id(value) in wanted and id(value) not in found:
                    found[id(value)] = (name, attr, value)
        return found.values()

    def pickled(value):
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        return buffer

    def culprit(backends):
        for key, value in backends.items():
            try:
                pickled(value)
            except Exception as e:
                return "%s.%s: %r" % (key[0], key[1], e)
        return "?"

    def state_bytes():
        for attempt in range(5):
            backends = {(m, a): dict(b) for m, a, b in in_use()}
            try:
                return pickled({"moto": moto.__version__, "backends": backends}).getvalue()
            except RuntimeError:
                # a request thread changed a backend while it was pickled: once more
                if attempt == 4:
                    raise
            except Exception:
                raise RuntimeError("cannot pickle " + culprit(backends)) from None

    def write_atomic(target, data):
        tmp = "%s.%d.%d.tmp" % (target, os.getpid(), threading.get_ident())
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)

    snapshot_path = path + ".snapshot"
    writing = threading.Lock()

    def save():
        data = state_bytes()
        with writing:
            write_atomic(path, data)
            # the clean stop's state is newer than any snapshot
            if os.path.exists(snapshot_path):
                os.remove(snapshot_path)
        say("saved the emulated AWS state (%d bytes) to %s" % (len(data), path))

    def restore(source, from_snapshot):
        try:
            with open(source, "rb") as f:
                state = pickle.load(f)
            if state.get("moto") != moto.__version__:
                raise ValueError("saved by moto %s, this is moto %s" % (state.get("moto"), moto.__version__))
            for (module, attr), accounts in state["backends"].items():
                live = getattr(importlib.import_module(module), attr)
                for account, backend in accounts.items():
                    dict.__setitem__(live, account, backend)
                if live not in BackendDict._instances:
                    BackendDict._instances.append(live)
        except Exception as e:
            os.replace(source, source + ".unreadable")
            say("cannot restore the emulated AWS state (%r): starting empty; the file is kept as %s.unreadable" % (e, source))
            return
        if from_snapshot:
            import time
            taken = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(os.path.getmtime(source)))
            say("RESTORED FROM SNAPSHOT: moto did not stop cleanly; the emulated AWS state was restored from the snapshot taken at %s (%s); changes made after it are lost" % (taken, source))
        else:
            os.remove(source)
            if os.path.exists(snapshot_path):
                os.remove(snapshot_path)
            say("restored the emulated AWS state from %s" % path)

    saved = []

    def save_once():
        if saved:
            return
        saved.append(True)
        try:
            save()
        except BaseException as e:
            say("cannot save the emulated AWS state to %s: %r" % (path, e))

    def on_term(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not start a second save
        save_once()
        os._exit(0)

    def snapshots(every):
        # A moto killed without SIGTERM (OOM, kill -9) loses at most "every" seconds of changes: the
        # state is pickled in the background and written (atomically, 0600) only when it changed.
        import hashlib
        import time
        last = None
        while not saved:
            time.sleep(every)
            if saved:
                return
            try:
                data = state_bytes()
                digest = hashlib.sha256(data).digest()
                if digest == last:
                    continue
                with writing:
                    if saved:
                        return
                    write_atomic(snapshot_path, data)
                last = digest
            except BaseException as e:
                say("cannot write a snapshot of the emulated AWS state: %r" % (e,))

    if os.path.exists(path):
        restore(path, False)
    elif os.path.exists(snapshot_path):
        restore(snapshot_path, True)
    # moto_server installs its own SIGTERM handler (sys.exit), which ends in atexit; ours is for a moto
    # that does not.
    atexit.register(save_once)
    signal.signal(signal.SIGTERM, on_term)
    every = float(os.environ.get("STUPS_LOCAL_MOTO_SNAPSHOT_SECONDS") or 30)
    if every > 0:
        threading.Thread(target=snapshots, args=(every,), name="stups-local-snapshots", daemon=True).start()


if os.environ.get("STUPS_LOCAL_MOTO_STATE"):
    _persist(os.environ["STUPS_LOCAL_MOTO_STATE"])
`;

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMoto(options: StartMotoOptions): Promise<MotoServer> {
  const stateDir = options.stateDir;
  ensurePrivateDir(stateDir);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await launch(options, port);
    } catch (e) {
      // Another process may have taken the port between our probe and moto's bind: try another one.
      if (e instanceof PortTakenError) {
        lastError = e;
        continue;
      }
      throw e;
    }
  }
  throw new OperationError(`moto_server could not bind a loopback port after 5 attempts`, {
    code: 'local.moto-start-failed',
    hint: `See ${join(stateDir, MOTO_LOG_FILE)}.`,
    cause: lastError,
  });
}

class PortTakenError extends Error {}

async function launch(options: StartMotoOptions, port: number): Promise<MotoServer> {
  const { stateDir } = options;
  const logPath = join(stateDir, MOTO_LOG_FILE);
  const env: Record<string, string | undefined> = { ...process.env, MOTO_ACM_VALIDATION_WAIT: '0' };
  if (options.fidelityPatches !== false) env.STUPS_LOCAL_MOTO_PATCHES = '1';
  if (options.stateFile) env.STUPS_LOCAL_MOTO_STATE = options.stateFile;
  if (options.fidelityPatches !== false || options.stateFile) {
    const patchDir = join(stateDir, PATCH_DIR);
    ensurePrivateDir(patchDir, { inside: true });
    writeStateFile(join(patchDir, 'sitecustomize.py'), SITECUSTOMIZE);
    env.PYTHONPATH = [patchDir, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  }
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // A custom AMI list replaces moto's per-region defaults and breaks EC2 in regions it does not cover.
  delete env.MOTO_AMIS_PATH;

  const command = options.command ?? 'moto_server';
  const logFd = openLogFile(logPath, 'truncate');
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', logFd, logFd],
    // Its own process group: it outlives `stups-local up` and a Ctrl-C in the caller's terminal.
    detached: true,
  });
  closeSync(logFd);

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: NodeJS.ErrnoException | undefined;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.on('error', (e: NodeJS.ErrnoException) => {
    spawnError = e;
  });
  child.unref();

  await new Promise<void>((resolve) => {
    child.once('spawn', resolve);
    child.once('error', () => resolve());
  });
  if (spawnError || child.pid === undefined) {
    if (spawnError?.code === 'ENOENT') throw motoMissing(command, `${command} was not found on PATH`);
    throw new OperationError(`Cannot start ${command}: ${spawnError?.message ?? 'no PID'}`, {
      code: 'local.moto-start-failed',
      hint: INSTALL_HINT,
      cause: spawnError,
    });
  }
  const pid = child.pid;
  // Until Node has seen it exit, the PID cannot have been reused: it is our child.
  const ours: Ownership = () => child.exitCode === null && child.signalCode === null;
  const stopMoto = () => stopPid(pid, ours, { graceMs: MOTO_GRACE_MS, label: 'moto_server' });
  writeStateFile(join(stateDir, MOTO_PID_FILE), `${pid}\n`);
  writeStateFile(join(stateDir, MOTO_PORT_FILE), `${port}\n`);

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) {
      await rm(join(stateDir, MOTO_PID_FILE), { force: true });
      const log = tail(logPath);
      if (/address already in use/i.test(log)) throw new PortTakenError(log);
      if (exited.code === 127 || /No module named|command not found|ModuleNotFoundError/i.test(log)) {
        throw motoMissing(command, log);
      }
      throw new OperationError(
        `moto_server exited during start-up (${exited.signal ?? `exit code ${exited.code}`}):\n${log}`,
        { code: 'local.moto-start-failed', hint: `Full log: ${logPath}` },
      );
    }
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      await stopMoto();
      await rm(join(stateDir, MOTO_PID_FILE), { force: true });
      throw new OperationError(`moto_server did not answer on ${endpoint} within the deadline:\n${tail(logPath)}`, {
        code: 'local.moto-start-timeout',
        hint: `Full log: ${logPath}`,
      });
    }
    await sleep(100);
  }

  const restored = /RESTORED FROM SNAPSHOT: (.*)$/m.exec(tail(logPath, 200))?.[1];
  return {
    endpoint,
    port,
    pid,
    stateDir,
    ...(restored ? { restoredFromSnapshot: restored } : {}),
    stop: async () => {
      await stopMoto();
      await rm(join(stateDir, MOTO_PID_FILE), { force: true });
    },
    reset: async () => {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      if (!res.ok) {
        throw new OperationError(`moto reset failed: HTTP ${res.status}`, { code: 'local.moto-reset-failed' });
      }
    },
  };
}

/**
 * Stops the moto_server recorded in `<stateDir>/moto.pid` (if `isOurs` says it is still that process;
 * by default: its command line names moto) and removes the PID file. Returns false when nothing was
 * stopped.
 */
export async function stopMotoByPidFile(stateDir: string, isOurs: Ownership = looksLikeMoto): Promise<boolean> {
  const pidFile = join(stateDir, MOTO_PID_FILE);
  const text = readStateFile(pidFile);
  if (text === undefined) return false;
  const pid = Number.parseInt(text.trim(), 10);
  // A stale PID file may name a process that has since been reused by something else: leave that alone.
  const outcome = await stopPid(pid, isOurs, { graceMs: MOTO_GRACE_MS, label: 'moto_server' });
  await rm(pidFile, { force: true });
  return outcome === 'stopped';
}

function looksLikeMoto(pid: number): boolean {
  if (!isRunning(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no procfs (macOS): trust the PID file
  try {
    return /moto/.test(readFileSync(cmdline, 'utf8'));
  } catch {
    return false;
  }
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function motoMissing(command: string, detail: string): OperationError {
  return new OperationError(
    `moto is not installed or not usable (${command}): ${detail.split('\n').slice(-3).join(' ')}`,
    {
      code: 'local.moto-missing',
      hint: INSTALL_HINT,
    },
  );
}
