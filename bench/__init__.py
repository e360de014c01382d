"""Benchmarks for `make bench`. Each bench/bench_*.py has `run(report)`; `python -m bench`
runs them all (or those named on the command line) and writes build/bench.json."""
