"""The application layer: every change to the network, and every cache, in one place.

The CLI (:mod:`graphsvc.cli`) and the web service (:mod:`graphsvc.api`) call
:class:`Network` for everything they change and answer from what it keeps.

>>> from graphsvc.service import ImportOptions
>>> ImportOptions.parse("members", date_order="day-first").date_order
'day-first'
"""

from graphsvc.service.generations import Freshness, Generation
from graphsvc.service.network import Current, ImportDone, Network, network_of, open_network
from graphsvc.service.options import ImportOptionError, ImportOptions
from graphsvc.service.preview import ImportPreview
from graphsvc.service.view import NetworkView

__all__ = [
    "Current",
    "Freshness",
    "Generation",
    "ImportDone",
    "ImportOptionError",
    "ImportOptions",
    "ImportPreview",
    "Network",
    "NetworkView",
    "network_of",
    "open_network",
]
