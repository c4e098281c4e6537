"""API views, one module per area and one class per URL; each method is one operation.

Views are thin: they validate input with a serializer, call matching.services (writes) or
matching.selectors (reads), and shape the answer with an output serializer.
"""
