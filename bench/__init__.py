"""factlint benchmarks (`python -m bench`, `make bench`): encoder, ingest, index and HTTP latency."""
