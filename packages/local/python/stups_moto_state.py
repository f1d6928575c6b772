"""moto state persistence (stups-local): the emulated AWS state outlives the process.

When moto exits (SIGTERM, which moto_server turns into a normal exit, or Ctrl-C) every backend in use
(stacks, groups, instances, load balancers, records, keys…) is pickled into the file (0600, written to
a temporary file and renamed), and at the next start it is loaded back before moto serves, then the
file is removed. While it runs, the state is also pickled every 30 s
(STUPS_LOCAL_MOTO_SNAPSHOT_SECONDS; 0: never) into <file>.snapshot when it changed (0600, atomic), so
that a moto killed without SIGTERM (kill -9, OOM) comes back at its last snapshot; the start says so
in moto.log ("RESTORED FROM SNAPSHOT … changes made after it are lost"). A clean stop's file wins over
a snapshot and removes it. A file from another moto version, or one that cannot be read, is set aside
as <file>.unreadable.
"""

import importlib
import os
import sys


def _private_key(der):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_der_private_key(der, None)


def _public_key(der):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_der_public_key(der)


def _certificate(der):
    from cryptography import x509

    return x509.load_der_x509_certificate(der)


def persist(path):
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
