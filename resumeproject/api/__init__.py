"""What every part of the REST API shares: the error body and its handler, exceptions,
pagination, permissions, throttle scopes, the schema's AutoSchema, filter bases, the token
endpoint, the schema and docs views. Not a Django app: it has no models.

Each app keeps its endpoints beside its services (matching/api/, training/api/);
resumeproject/urls.py mounts them under /api/v1/. Guide: docs/api.md.
"""
