"""graphsvc: relationship and collaboration mapping for civil-society networks."""

__version__ = "0.1.0"
