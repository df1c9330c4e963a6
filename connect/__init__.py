"""Flow-time code for Amazon Connect's Lambda functions.

Plain Python (boto3 and the standard library): it cold-starts inside a phone call, so it never
imports Django. The Django apps import from here, never the other way round.

Lambda handlers: ``connect.handlers.get_prompts`` and ``connect.handlers.lookup_customer``.
``items`` is the DynamoDB item format shared with Django; ``config`` the environment;
``dynamo`` the lazily built DynamoDB resource; ``cache`` the per-container TTL cache;
``events`` reads Connect's event; ``lookups`` builds answers from a table; ``answer`` fits
them into Connect's 32 KB. ``python -m connect invoke ...`` runs a handler by hand.
"""
