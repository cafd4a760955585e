"""Benchmarks against the Bot API emulator: `make bench` writes benchmarks/RESULTS.md."""
