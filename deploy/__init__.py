"""Deploy tooling: runs on the operator's machine and in CI, never on Lambda."""
