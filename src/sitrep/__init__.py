"""sitrep: conflict events from news text."""
