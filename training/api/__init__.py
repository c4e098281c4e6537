"""training's part of the REST API: feedback, training runs (queue, follow, cancel), the
retraining suggestion, and model versions (list, activate, roll back). Views validate with
an input serializer, call training.runs and training.labels (writes) or training.selectors
(reads), and answer with an output serializer, as matching/api does."""
