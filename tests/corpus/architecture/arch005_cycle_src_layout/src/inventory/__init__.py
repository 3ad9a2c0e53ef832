"""Inventory: the catalog prices items, and pricing looks items up in the catalog."""
