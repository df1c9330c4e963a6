"""Flow-time code for Amazon Connect's Lambda functions.

Plain Python (boto3 and the standard library): it cold-starts inside a phone call, so it never
imports Django. The Django apps import from here, never the other way round.
"""
