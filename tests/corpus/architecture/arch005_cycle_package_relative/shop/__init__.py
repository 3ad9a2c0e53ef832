"""The shop package: orders are billed, billing reserves stock, stock reopens orders."""
