"""One import hook for every moto patch (stups-local): a table of module name → patch.

When moto imports a module named in the table, the module is loaded as usual and then handed to its
patch, once. The hook leaves sys.meta_path when every module in the table has been patched.
"""

import importlib.abc
import importlib.util
import sys


class _PatchHook(importlib.abc.MetaPathFinder):
    def __init__(self, patches):
        self._patches = dict(patches)

    def find_spec(self, name, path=None, target=None):
        patch = self._patches.pop(name, None)
        if patch is None:
            return None
        if not self._patches:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def patched_exec(module):
            exec_module(module)
            patch(module)

        loader.exec_module = patched_exec
        return spec


def install(*tables):
    """Patches each module named in `tables` (module name → function of the module) when it is imported.

    A module named in several tables gets each of their patches, in the order of the tables.
    """
    chains = {}
    for table in tables:
        for name, patch in table.items():
            chains.setdefault(name, []).append(patch)
    if chains:
        sys.meta_path.insert(0, _PatchHook({name: _chained(patches) for name, patches in chains.items()}))


def _chained(patches):
    if len(patches) == 1:
        return patches[0]

    def all_of(module):
        for patch in patches:
            patch(module)

    return all_of
