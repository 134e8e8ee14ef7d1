"""The project's files: where presskit may read them, and pictures checked for safety.

Which folders a build may read (the theme, the assets, the content file's folder),
raster pictures measured and bounded, SVG logos checked to be plain drawings, picture
files taken out of their metadata blocks. May import :mod:`presskit.util` only.
"""
