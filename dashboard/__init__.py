"""News timeline and geography dashboard: dated, located events with their source sentence."""

__version__ = "0.1.0"
