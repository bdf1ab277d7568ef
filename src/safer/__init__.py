"""Safer: the community safety partnership's agreement, performance and shared case work."""

__version__ = "0.1.0"
