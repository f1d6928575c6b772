"""moto's per-request look-ups, made once (stups-local): no behaviour changes, only time.

moto_server 5.2.1 repeats two look-ups on every request whose answers cannot change while it runs:

1. Which moto modules exist (`moto.backends.list_of_moto_modules`): a listing of moto's package
   directory with a stat of each of its ~180 entries, made while the dispatcher holds its lock, so
   every other request waits for it too.
2. Which methods a service's response class has (`moto.core.responses.method_names_from_class`): an
   `inspect.getmembers` over the class and its bases, to find the action's handler.

Together they were about two thirds of moto's own time for a request of `senza print` (2.7 against
1.0 ms per request, the WSGI application called directly). Both are computed once here: the package
directory does not change under a running server, and a response class gets its methods when its
module is imported (the fidelity patches included: they are applied at import, before any request).
"""

import functools


def patch_backends(module):
    listing = module.list_of_moto_modules

    @functools.cache
    def modules():
        return tuple(listing())

    module.list_of_moto_modules = modules


def patch_responses(module):
    module.method_names_from_class = functools.cache(module.method_names_from_class)


PATCHES = {"moto.backends": patch_backends, "moto.core.responses": patch_responses}
