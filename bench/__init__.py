"""Benchmarks run by `make bench`: each figure is measured beside its baseline in the same run."""
