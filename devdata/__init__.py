"""Data for developers: the synthetic data of `p2k2 seed` for trials and benchmarks.

A floor above the application (bot, handlers, scheduler, views, storage never import it), so
the running bot carries no demo or benchmark code; the command line, the simulator and the
benchmarks use it."""
