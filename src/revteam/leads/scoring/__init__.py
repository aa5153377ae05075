"""Scoring: the fit and engagement rules, re-scoring, and the facts every rule reads."""
