"""Benchmark helpers: an itinerary-shaped instance generator and adapters for the peer
solvers (VROOM, PyVRP), which are dev-only dependencies imported lazily."""
