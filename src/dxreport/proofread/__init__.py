"""Proofreading: findings on a dataset's figures and texts, and what changed between two."""
