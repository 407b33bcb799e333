"""Where results live: the results store, cache folders and atomic cache entries."""
