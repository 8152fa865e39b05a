"""Building: the orchestrator, the executor that uses both cores, and the atomic write."""
