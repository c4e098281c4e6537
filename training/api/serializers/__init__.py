"""Input and output serializers, one module per area; views import them by name."""
