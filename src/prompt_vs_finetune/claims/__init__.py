"""The guide's claims C1-C19: the registry (owner, verdict rule) and the ledger."""
