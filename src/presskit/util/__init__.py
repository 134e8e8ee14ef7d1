"""Shared utilities: the few small things every stage needs.

Atomic writes, the error tree the command line understands, the strict YAML reader,
the user's cache and state folders and the rules for trusting them, reproducible dates,
safe mail headers. These modules know nothing of press releases: they
import only the standard library, third-party packages and each other, never another
part of presskit.
"""
