"""The matching admin: each module registers its ModelAdmins when imported
(autodiscover imports this package)."""

from matching.admin import corrections, documents, models, ratings, review  # noqa: F401
