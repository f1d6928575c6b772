# Written by stups-local (aws/moto-server.ts, from packages/local/python/): moto fidelity patches
# and state persistence. Safe to delete.
#
# Loaded by Python at start-up through PYTHONPATH, for what moto_server itself lacks:
# - with STUPS_LOCAL_MOTO_PATCHES=1, moto modules are patched where they differ from AWS
#   (stups_moto_acm.py, stups_moto_amis.py, stups_moto_launch.py, stups_moto_capacity.py; the
#   import hook: stups_moto_hook.py);
# - with STUPS_LOCAL_MOTO_STATE=<file>, the emulated state outlives the process (stups_moto_state.py).
import os

if os.environ.get("STUPS_LOCAL_MOTO_PATCHES") == "1":
    import stups_moto_acm
    import stups_moto_amis
    import stups_moto_capacity
    import stups_moto_hook
    import stups_moto_launch

    stups_moto_hook.install(
        stups_moto_acm.PATCHES,
        stups_moto_amis.PATCHES,
        stups_moto_launch.PATCHES,
        stups_moto_capacity.PATCHES,
    )

if os.environ.get("STUPS_LOCAL_MOTO_STATE"):
    import stups_moto_state

    stups_moto_state.persist(os.environ["STUPS_LOCAL_MOTO_STATE"])
