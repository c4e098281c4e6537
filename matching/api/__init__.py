"""matching's part of the REST API: resumes, jobs, rankings, best jobs, ad-hoc scoring and
ratings. Views validate with an input serializer, call matching.services (writes) or
matching.selectors (reads), and answer with an output serializer."""
