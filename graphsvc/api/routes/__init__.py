"""The service's routes, one module per part of the API, and the pages."""
