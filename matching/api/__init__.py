"""matching's part of the REST API: resumes, jobs, rankings, best jobs, ad-hoc scoring and
ratings. Views validate with an input serializer, call the services of a job's folder
(writes: matching.review.ratings, matching.intake.resumes, ...) or its selectors (reads),
and answer with an output serializer."""
