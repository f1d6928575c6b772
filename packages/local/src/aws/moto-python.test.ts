import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MOTO_PYTHON_DIR, motoPythonFiles } from './moto-server.js';

// The Python moto_server loads (packages/local/python/): shipped as .py files, not TypeScript strings.
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stups-moto-python-'));
  dirs.push(dir);
  return dir;
}

describe('moto Python', () => {
  it('is a sitecustomize with its modules, each of which compiles', () => {
    const files = motoPythonFiles();
    expect([...files.keys()]).toEqual([
      'sitecustomize.py',
      'stups_moto_acm.py',
      'stups_moto_amis.py',
      'stups_moto_capacity.py',
      'stups_moto_hook.py',
      'stups_moto_launch.py',
      'stups_moto_speed.py',
      'stups_moto_state.py',
    ]);
    const out = tempDir();
    for (const name of files.keys()) {
      execFileSync('python3', ['-m', 'py_compile', join(MOTO_PYTHON_DIR, name)], {
        env: { ...process.env, PYTHONPYCACHEPREFIX: out },
        stdio: 'pipe',
      });
    }
  });

  it('patches each module of its table once, when imported, and leaves sys.meta_path when done', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fake_one.py'), 'VALUE = 1\n');
    writeFileSync(join(dir, 'fake_two.py'), 'VALUE = 2\n');
    const script = [
      'import sys, stups_moto_hook',
      'def bump(m): m.VALUE += 10',
      'stups_moto_hook.install({"fake_one": bump, "fake_two": bump})',
      'hooks = len(sys.meta_path)',
      'import fake_one',
      'assert len(sys.meta_path) == hooks',
      'import fake_two',
      'assert len(sys.meta_path) == hooks - 1',
      'print(fake_one.VALUE, fake_two.VALUE)',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], {
      cwd: dir,
      env: { ...process.env, PYTHONPATH: [MOTO_PYTHON_DIR, dir].join(':'), PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('11 12');
  });

  it('gives a module named in several tables each of their patches, in order', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fake_one.py'), 'VALUE = 1\n');
    const script = [
      'import stups_moto_hook',
      'def ten(m): m.VALUE *= 10',
      'def plus(m): m.VALUE += 2',
      'stups_moto_hook.install({"fake_one": ten}, {"fake_one": plus})',
      'import fake_one',
      'print(fake_one.VALUE)',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], {
      cwd: dir,
      env: { ...process.env, PYTHONPATH: [MOTO_PYTHON_DIR, dir].join(':'), PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('12');
  });

  it('patches moto when moto_server would load it, and persists nothing without a state file', () => {
    const script = [
      'import moto.ec2.models.amis as amis, moto.autoscaling.models as asg',
      'print(amis.AmiBackend.create_image.__qualname__, asg.InstanceState.__init__.__module__)',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], {
      env: {
        ...process.env,
        PYTHONPATH: MOTO_PYTHON_DIR,
        PYTHONDONTWRITEBYTECODE: '1',
        STUPS_LOCAL_MOTO_PATCHES: '1',
        STUPS_LOCAL_MOTO_STATE: '',
      },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('patch_amis.<locals>.create_image stups_moto_launch');
  });

  it('makes the two per-request look-ups once, with the answers moto computes, fidelity patches or not', () => {
    const script = [
      'import os, moto, moto.backends as b, moto.core.responses as r, moto.core.utils as u',
      'from moto.ec2.responses import EC2Response',
      'root = os.path.dirname(moto.__file__)',
      'listed = [d for d in sorted(os.listdir(root)) if os.path.isdir(os.path.join(root, d)) and not d.startswith("__")]',
      'assert b.list_of_moto_modules() is b.list_of_moto_modules()',
      'assert list(b.list_of_moto_modules()) == listed',
      'assert r.method_names_from_class(EC2Response) is r.method_names_from_class(EC2Response)',
      'assert r.method_names_from_class(EC2Response) == u.method_names_from_class(EC2Response)',
      'print("ec2" in b.list_of_moto_modules(), "describe_vpcs" in r.method_names_from_class(EC2Response))',
    ].join('\n');
    for (const patches of ['1', '']) {
      const out = execFileSync('python3', ['-c', script], {
        env: {
          ...process.env,
          PYTHONPATH: MOTO_PYTHON_DIR,
          PYTHONDONTWRITEBYTECODE: '1',
          STUPS_LOCAL_MOTO_PATCHES: patches,
          STUPS_LOCAL_MOTO_STATE: '',
        },
        encoding: 'utf8',
      });
      expect(out.trim()).toBe('True True');
    }
  });
});
