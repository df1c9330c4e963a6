"""PostgreSQL with its credentials read from an AWS Secrets Manager secret (RDS-managed)."""
