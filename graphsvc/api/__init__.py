"""HTTP: JSON under /api for programs, pages for people."""

from graphsvc.api.app import create_app

__all__ = ["create_app"]
