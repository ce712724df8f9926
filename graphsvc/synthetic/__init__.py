"""A realistic synthetic civil-society network: demo, benchmark and test data.

>>> from graphsvc.synthetic import synthetic_records
>>> records = synthetic_records(members=100, seed=7)
>>> sum(1 for r in records.nodes() if r.KIND == "Person")
100
"""

from graphsvc.synthetic.generator import SyntheticNetwork, generate_network
from graphsvc.synthetic.records import NetworkRecords


def synthetic_records(members: int = 1000, seed: int = 42) -> NetworkRecords:
    """Generate a network and return it ready to be stored."""
    return NetworkRecords(generate_network(members, seed))


__all__ = ["NetworkRecords", "SyntheticNetwork", "generate_network", "synthetic_records"]
