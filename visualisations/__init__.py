"""Visualisations: analysis results in, self-contained HTML and figures out.

Network maps (pyvis, layouts computed on the server), representation charts
and maps. Nothing here reads the database or serves HTTP. (The maps arrive
with the maps issue; the layout is fixed here so the grain of the tree is
clear.)
"""
