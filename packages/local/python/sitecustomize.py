# Written by stups-local (aws/moto-server.ts, from packages/local/python/): moto fidelity and speed
# patches, and state persistence. Safe to delete.
#
# Loaded by Python at start-up through PYTHONPATH, for what moto_server itself lacks:
# - two look-ups moto repeats on every request are made once (stups_moto_speed.py);
# - with STUPS_LOCAL_MOTO_PATCHES=1, moto modules are patched where they differ from AWS
#   (stups_moto_acm.py, stups_moto_amis.py, stups_moto_launch.py, stups_moto_capacity.py);
# - with STUPS_LOCAL_MOTO_STATE=<file>, the emulated state outlives the process (stups_moto_state.py).
# The patches are applied by one import hook (stups_moto_hook.py) as moto imports each module.
import os

import stups_moto_hook
import stups_moto_speed

patches = [stups_moto_speed.PATCHES]
if os.environ.get("STUPS_LOCAL_MOTO_PATCHES") == "1":
    import stups_moto_acm
    import stups_moto_amis
    import stups_moto_capacity
    import stups_moto_launch

    patches += [stups_moto_acm.PATCHES, stups_moto_amis.PATCHES, stups_moto_launch.PATCHES, stups_moto_capacity.PATCHES]
stups_moto_hook.install(*patches)

if os.environ.get("STUPS_LOCAL_MOTO_STATE"):
    import stups_moto_state

    stups_moto_state.persist(os.environ["STUPS_LOCAL_MOTO_STATE"])
