"""Visualisations: analysis results in, self-contained HTML and figures out.

Network maps (vis-network as pyvis ships it, layouts computed on the
server), representation charts and maps, and files for other tools. Nothing
here reads the database or serves HTTP.
"""
