"""API views, one module per area and one class per URL; each method is one operation."""
