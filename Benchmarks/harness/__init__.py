"""The Mailroom benchmark harness: see Benchmarks/README.md. Standard library only."""
