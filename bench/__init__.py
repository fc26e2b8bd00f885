"""Benchmarks: `make bench` (or `python -m bench [name …]`) runs each bench/bench_*.py module's
main(); each prints its figures, which go into docs/PERFORMANCE.md by hand with the machine."""
