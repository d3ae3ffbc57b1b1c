"""The learning engine: after every learning event, and in sweeps, recompute next items and flags.

``engine.policy`` is the pure, Django-free core (plain dataclasses in, plain dataclasses out); the rest of the
app loads snapshots, runs the policy in Celery workers and stores the results pages read.
"""
