"""The REST API (DRF) under /api/v1/, its OpenAPI schema and docs; guide in docs/api.md."""
