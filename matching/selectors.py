"""Reads of the matching app: rankings, a resume's best jobs, explanations, vectors."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from matching import lexical
from matching.models import (
    Job,
    Pair,
    Rating,
    Resume,
    ReviewerPreference,
    ReviewSkip,
    ScoringModel,
)
from matching.scoring.features import ResumeBatch
from matching.skills import skills_in
from matching.vectors import (
    cached_vectors,
    ensure_vectors,
    resume_cache_key,
    scored_text,
    text_hash,
)

# --- vectors and corpus statistics -------------------------------------------------------

_idf_lock = threading.Lock()
_idf_cache: dict[str, object] = {}


def corpus_idf() -> np.ndarray:
    """IDF of hashed terms over every resume with text, cached until the corpus changes."""
    extracted = Resume.objects.filter(status=Resume.Status.EXTRACTED)
    stamp = extracted.aggregate(n=Max("pk"), changed=Max("updated_at"))
    key = f"{extracted.count()}:{stamp['n']}:{stamp['changed']}"
    with _idf_lock:
        if _idf_cache.get("key") == key:
            return _idf_cache["idf"]  # type: ignore[return-value]
    rows = extracted.values_list("term_ids", "term_counts").iterator(chunk_size=5000)
    vectors = [lexical.TermVector.from_bytes(bytes(i), bytes(c)) for i, c in rows]
    idf = lexical.idf_from(lexical.stack(vectors))
    with _idf_lock:
        _idf_cache.update(key=key, idf=idf)
    return idf


def resume_batch(
    *, resume_ids: list[int], encoder_key: str, idf: np.ndarray | None = None
) -> tuple[ResumeBatch, list[int]]:
    """The stacked vectors and terms of resumes, embedding those not cached yet.

    Two queries for any number of resumes (terms, then vectors), plus the embedding of
    texts never seen by this encoder.
    """
    rows = list(
        Resume.objects.filter(pk__in=resume_ids, status=Resume.Status.EXTRACTED)
        .order_by("pk")
        .values_list("pk", "text_sha256", "term_ids", "term_counts")
    )
    hashes = {h for _, h, _, _ in rows}
    key = resume_cache_key(encoder_key)
    vectors = cached_vectors(hashes=hashes, encoder_key=key)
    missing = hashes - vectors.keys()
    if missing:
        texts = dict(
            Resume.objects.filter(text_sha256__in=missing).values_list("text_sha256", "text")
        )
        texts = {h: scored_text(t) for h, t in texts.items()}
        vectors.update(ensure_vectors(texts=texts, encoder_key=key))
    batch = ResumeBatch.build(
        vectors=[vectors[h].vector for _, h, _, _ in rows],
        chunk_vectors=[vectors[h].chunk_vectors for _, h, _, _ in rows],
        terms=[lexical.TermVector.from_bytes(bytes(i), bytes(c)) for _, _, i, c in rows],
        idf=corpus_idf() if idf is None else idf,
    )
    return batch, [pk for pk, _, _, _ in rows]


# --- rankings ----------------------------------------------------------------------------


def job_ranking(
    *, job: Job, min_score: float | None = None, rated: bool | None = None
) -> QuerySet[Pair]:
    """A job's scored candidates, best first; the resume text is not loaded.

    Unreadable resumes are left out by id (the few not extracted), not by joining each
    pair to its resume: the page's COUNT then reads only the pair index, where the join
    read every resume row, half the time of a page with 10,000 candidates.
    """
    unreadable = Resume.objects.exclude(status=Resume.Status.EXTRACTED).values("pk")
    qs = (
        Pair.objects.filter(job=job, score__isnull=False)
        .exclude(resume_id__in=unreadable)
        .select_related("resume", "scoring_model")
        .defer("resume__text", "resume__term_ids", "resume__term_counts")
        .order_by(F("score").desc(), "pk")
    )
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    if rated is True:
        qs = qs.filter(rating_count__gt=0)
    elif rated is False:
        qs = qs.filter(rating_count=0)
    return qs


def resume_best_jobs(*, resume: Resume) -> QuerySet[Pair]:
    return (
        Pair.objects.filter(resume=resume, score__isnull=False)
        .select_related("job")
        .order_by(F("score").desc(), "pk")
    )


def pairs_disagreeing(*, threshold: float | None = None) -> Q:
    """Filter for rated pairs whose human mean is far from the model score."""
    t = settings.DISAGREEMENT_THRESHOLD if threshold is None else threshold
    return Q(rating_count__gt=0) & (
        Q(rating_mean__gte=F("score") + t) | Q(rating_mean__lte=F("score") - t)
    )


# --- blind rating: whose ratings a user may see (docs/reviewing.md) ----------------------


def sees_every_rating(*, user) -> bool:
    """Whether `user` may see every reviewer's ratings of every pair: BLIND_RATING is off,
    or they are a lead who settles conflicts or changes other reviewers' ratings, and so
    must see them. No query for a superuser; otherwise Django's two permission reads,
    cached on `user`."""
    if not settings.BLIND_RATING:
        return True
    return bool(user) and any(user.has_perm(perm) for perm in LEAD_PERMISSIONS)


# Permissions of a lead, whose work needs every reviewer's ratings in sight.
LEAD_PERMISSIONS = ("matching.settle_pair", "matching.change_others_rating")


def ratings_visible(*, user, pair: str = "pk") -> Exists | Value:
    """The blind-rating rule, defined once: whether the other reviewers' ratings of a pair
    (their scores, mean and the disagreement they show) may be shown to `user`. True when
    sees_every_rating, else only once `user` has rated the pair themselves, so nobody
    anchors on a colleague's judgment before giving their own. A boolean expression for
    querysets; `pair` names the pair's id in the query ("pk" on Pair, "pair" on Rating).

    The number of ratings stays visible: it says a pair was reviewed, not how. The rating
    screen keeps its own stricter reveal (the model's score too, leads included):
    review_views._screen."""
    if user is None or not user.is_authenticated:
        return Value(False)
    if sees_every_rating(user=user):
        return Value(True)
    return Exists(Rating.objects.filter(pair_id=OuterRef(pair), reviewer=user))


def pairs_for_viewer(pairs: QuerySet[Pair], *, user) -> QuerySet[Pair]:
    """Pairs annotated for the pages and API rows a user reads: `ratings_visible`
    (ratings_visible) and `disagrees` (pairs_disagreeing). In the same query: no query
    per row."""
    return pairs.annotate(
        ratings_visible=ratings_visible(user=user),
        disagrees=ExpressionWrapper(pairs_disagreeing(), output_field=BooleanField()),
    )


def ratings_for_viewer(*, user) -> QuerySet[Rating]:
    """The ratings `user` may read (the ratings list API): their own, and other reviewers'
    of the pairs ratings_visible allows."""
    ratings = Rating.objects.all()
    if user is None or not user.is_authenticated:
        return ratings.none()
    if sees_every_rating(user=user):
        return ratings
    return ratings.filter(Q(reviewer=user) | Q(ratings_visible(user=user, pair="pair")))


# --- explanations ------------------------------------------------------------------------


@dataclass
class Explanation:
    must_found: list[str]
    must_missing: list[str]
    nice_found: list[str]
    nice_missing: list[str]
    skills_found: list[str]
    skills_missing: list[str]
    passages: list[str]


def explain_pairs(
    *,
    job: Job,
    pairs: list[Pair],
    encoder_key: str,
    passages: int = 2,
    anonymized: bool = False,
) -> dict[int, Explanation]:
    """Why each pair scored as it did; cached vectors only, so no model is loaded. With
    `anonymized` the passages are quoted from the masked text."""
    from matching.services import job_text

    if not pairs:
        return {}
    resumes = {
        r.pk: r
        for r in Resume.objects.filter(pk__in=[p.resume_id for p in pairs]).only(
            "pk", "text", "text_sha256"
        )
    }
    jtext = job_text(job)
    job_vec = cached_vectors(hashes=[text_hash(jtext)], encoder_key=encoder_key).get(
        text_hash(jtext)
    )
    vectors = cached_vectors(
        hashes={r.text_sha256 for r in resumes.values()}, encoder_key=resume_cache_key(encoder_key)
    )
    must = lexical.split_requirements(job.must_have)
    nice = lexical.split_requirements(job.nice_to_have)
    job_skills = skills_in(jtext)
    out: dict[int, Explanation] = {}
    for pair in pairs:
        resume = resumes[pair.resume_id]
        terms = set(lexical.terms(resume.text))
        must_ok = [r for r in must if requirement_met(r, terms)]
        nice_ok = [r for r in nice if requirement_met(r, terms)]
        have = set(skills_in(resume.text))
        out[pair.pk] = Explanation(
            must_found=must_ok,
            must_missing=[r for r in must if r not in must_ok],
            nice_found=nice_ok,
            nice_missing=[r for r in nice if r not in nice_ok],
            skills_found=[s for s in job_skills if s in have],
            skills_missing=[s for s in job_skills if s not in have],
            passages=best_passages(
                resume_display_text(text=resume.text, anonymized=anonymized),
                vectors.get(resume.text_sha256),
                job_vec,
                k=passages,
                to_shown=_shown_span(resume.text, anonymized=anonymized),
            ),
        )
    return out


def requirement_met(requirement: str, resume_terms: set[str]) -> bool:
    """Most of a requirement's words appear in the resume ("5+ years" has none: unmet).

    Both sides are index terms (lexical.terms): "Negotiation" is met by "negotiated",
    as the coverage feature of the score counts it."""
    words = lexical.terms(requirement)
    if not words:
        return False
    return sum(w in resume_terms for w in words) / len(words) >= 0.5


def best_passages(
    text: str, vectors, job_vectors, *, k: int, length: int = 320, to_shown=None
) -> list[str]:
    """The k windows of `text` closest to the job; `to_shown` maps a window's span in the
    embedded text to one in `text` when the two differ (anonymized view)."""
    if vectors is None or job_vectors is None:
        return []
    sims = vectors.chunk_vectors @ job_vectors.vector
    picked = []
    for i in np.argsort(-sims)[:k]:
        start, end = vectors.chunk_spans[int(i)]
        if to_shown is not None:
            start, end = to_shown(start, end)
        snippet = " ".join(text[start:end].split())
        picked.append(snippet[:length] + ("…" if len(snippet) > length else ""))
    return picked


# --- scoring progress (REST API: clients poll it after an upload) ------------------------


def resumes_with_scoring_progress() -> QuerySet[Resume]:
    """Resumes without their long columns, each annotated with `scored_jobs`: how many open
    jobs it has a score against. One subquery per row, not a join, so counting a filtered
    list stays one cheap COUNT."""
    scored = (
        Pair.objects.filter(resume=OuterRef("pk"), score__isnull=False, job__is_open=True)
        .order_by()
        .values("resume")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Resume.objects.defer("text", "term_ids", "term_counts").annotate(
        scored_jobs=Coalesce(Subquery(scored, output_field=IntegerField()), 0)
    )


def open_job_count() -> int:
    return Job.objects.filter(is_open=True).count()


# --- reviewer workflow: the labeling queue, blind reveal, agreement (docs/reviewing.md) ----

# The bands of a score: poor < 0.3 <= partial < 0.7 <= good (training.datasets uses the
# same). Ratings of one pair this far apart or more are a conflict a lead settles: the
# width of a band, and the rule training uses to count conflicting labels. With stars it
# means two stars apart or more.
BAND_POOR, BAND_GOOD = 0.3, 0.7
CONFLICT_SPREAD = BAND_POOR


def conflicting() -> Q:
    """Filter for pairs whose highest and lowest ratings are a band or more apart (the
    tolerance keeps 0.4 and 0.7, typed in the admin, a conflict despite float error)."""
    return Q(rating_count__gte=2, rating_spread__gte=CONFLICT_SPREAD - 1e-9)


def pairs_conflicting() -> QuerySet[Pair]:
    return Pair.objects.filter(conflicting())


def review_queue(*, reviewer, now: datetime | None = None) -> QuerySet[Pair]:
    """The pairs a reviewer should rate, best first; `.first()` is the next one.

    Which pairs: scored pairs of open jobs and readable resumes, not rated by this
    reviewer, not settled by a lead, with fewer ratings than REVIEWS_WANTED_PER_PAIR;
    a pair whose reviewers disagree by a band or more gets one rating more, a tie-breaker
    before a lead settles it.

    In what order:
      1. pairs the reviewer skipped go last until their skip runs out;
      2. unrated pairs first;
      3. then pairs whose reviewers disagree (a band or more apart);
      4. the job with the fewest ratings so far first, so work spreads across open jobs
         (each rating moves its job back: round-robin in effect);
      5. the pair the model is least sure of: score nearest 0.5, where the calibrated
         scorer puts the line between a fit and not (uncertainty sampling);
      6. then by id, so the order is stable.

    Two queries whatever the number of pairs: the ratings per open job (a few rows), then
    one filtered, ordered query over pairs with no per-row Python.
    """
    now = now or timezone.now()
    wanted = settings.REVIEWS_WANTED_PER_PAIR
    per_job = dict(
        Pair.objects.filter(job__is_open=True, rating_count__gt=0)
        .order_by()
        .values("job")
        .annotate(n=Sum("rating_count"))
        .values_list("job", "n")
    )
    coverage = (
        Case(*(When(job_id=job_id, then=Value(n)) for job_id, n in per_job.items()), default=0)
        if per_job
        else Value(0)
    )
    mine = Rating.objects.filter(pair=OuterRef("pk"), reviewer=reviewer)
    skipped = ReviewSkip.objects.filter(pair=OuterRef("pk"), reviewer=reviewer, until__gt=now)
    conflict = conflicting()
    return (
        Pair.objects.filter(
            job__is_open=True,
            resume__status=Resume.Status.EXTRACTED,
            score__isnull=False,
            settled_score__isnull=True,
        )
        .filter(Q(rating_count__lt=wanted) | (conflict & Q(rating_count__lt=wanted + 1)))
        .filter(~Exists(mine))
        .annotate(
            skipped=Exists(skipped),
            rated_by_others=Case(When(rating_count=0, then=0), default=1),
            agreed=Case(When(conflict, then=0), default=1),
            job_ratings=coverage,
            uncertainty=Abs(F("score") - 0.5),
        )
        .order_by("skipped", "rated_by_others", "agreed", "job_ratings", "uncertainty", "pk")
    )


def reviewer_rating(*, pair: Pair, reviewer) -> Rating | None:
    """The reviewer's own rating of a pair (the one rating_submit keeps up to date)."""
    return (
        Rating.objects.filter(pair=pair, reviewer=reviewer).order_by("-created_at", "-pk").first()
    )


def pair_other_ratings(*, pair: Pair, reviewer) -> list[Rating]:
    """Everyone else's ratings of a pair: shown only after the reviewer has rated it
    when BLIND_RATING is on."""
    return list(
        Rating.objects.filter(pair=pair)
        .exclude(reviewer=reviewer)
        .select_related("reviewer")
        .order_by("created_at", "pk")
    )


def passage_spans(*, text: str, resume_vectors, job_vectors, k: int) -> list[tuple[int, int]]:
    """Character spans of the k resume windows closest to the job (the windows
    best_passages quotes), merged where they overlap, in text order."""
    if resume_vectors is None or job_vectors is None or not resume_vectors.chunk_spans:
        return []
    sims = resume_vectors.chunk_vectors @ job_vectors.vector
    picked = sorted(tuple(resume_vectors.chunk_spans[int(i)]) for i in np.argsort(-sims)[:k])
    merged: list[tuple[int, int]] = []
    for start, end in picked:
        start, end = max(0, int(start)), min(len(text), int(end))
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif start < end:
            merged.append((start, end))
    return merged


def pair_passage_spans(
    *, pair: Pair, encoder_key: str, k: int = 2, anonymized: bool = False
) -> list[tuple[int, int]]:
    """Where in the resume text as shown (masked with `anonymized`) the best-matching
    passages are: one query for both documents' cached vectors (two when resume vectors
    are those of the masked text, cached under their own key)."""
    from matching.services import job_text

    job_hash = text_hash(job_text(pair.job))
    resume_hash = pair.resume.text_sha256
    resume_key = resume_cache_key(encoder_key)
    if resume_key == encoder_key:
        vectors = cached_vectors(hashes={job_hash, resume_hash}, encoder_key=encoder_key)
    else:
        vectors = cached_vectors(hashes={job_hash}, encoder_key=encoder_key)
        vectors.update(cached_vectors(hashes={resume_hash}, encoder_key=resume_key))
    spans = passage_spans(
        text=scored_text(pair.resume.text),
        resume_vectors=vectors.get(resume_hash),
        job_vectors=vectors.get(job_hash),
        k=k,
    )
    to_shown = _shown_span(pair.resume.text, anonymized=anonymized)
    return spans if to_shown is None else [to_shown(s, e) for s, e in spans]


@dataclass
class AgreementRow:
    job: Job | None  # None: every job together
    alpha: float | None  # None: fewer than two reviewers on any pair, or no variation
    pairs: int  # pairs with two reviewers or more (the units alpha is measured on)
    ratings: int  # their ratings, one per reviewer and pair
    conflicts: int  # pairs a band or more apart, not settled yet


@dataclass
class AgreementReport:
    overall: AgreementRow
    jobs: list[AgreementRow]


def reviewer_agreement() -> AgreementReport:
    """Krippendorff's alpha (interval) between reviewers, per job and over every job.

    Units are pairs, values the reviewers' ratings; ratings without a reviewer (imports,
    anonymous feedback) are left out, since they could be anyone. A reviewer with two
    ratings of one pair (from before rating_submit) counts once, with their mean.
    Three queries: the ratings of pairs rated at least twice, the jobs, the conflicts.
    """
    from matching.agreement import krippendorff_alpha_interval

    rows = np.array(
        list(
            Rating.objects.filter(reviewer__isnull=False, pair__rating_count__gte=2)
            .values("pair_id", "pair__job_id", "reviewer_id")
            .annotate(score=Avg("score"))
            .order_by()
            .values_list("pair_id", "pair__job_id", "score")
        ),
        dtype=np.float64,
    ).reshape(-1, 3)
    pair_ids, job_ids, scores = rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64), rows[:, 2]
    conflicts = dict(
        pairs_conflicting()
        .filter(settled_score__isnull=True)
        .order_by()
        .values("job")
        .annotate(n=Count("pk"))
        .values_list("job", "n")
    )

    def row(job: Job | None, mask: np.ndarray) -> AgreementRow:
        _, counts = np.unique(pair_ids[mask], return_counts=True)
        pairable = counts >= 2
        return AgreementRow(
            job=job,
            alpha=krippendorff_alpha_interval(pair_ids[mask], scores[mask]),
            pairs=int(pairable.sum()),
            ratings=int(counts[pairable].sum()),
            conflicts=sum(conflicts.values()) if job is None else conflicts.get(job.pk, 0),
        )

    jobs = Job.objects.filter(pk__in=set(job_ids.tolist()) | set(conflicts)).order_by("title")
    return AgreementReport(
        overall=row(None, np.ones(len(pair_ids), dtype=bool)),
        jobs=[row(job, job_ids == job.pk) for job in jobs],
    )


@dataclass
class ScoringProgress:
    """How far scoring is: resumes scored by the live model against every open job."""

    resumes_done: int
    resumes_total: int
    pairs_done: int
    pairs_total: int
    open_jobs: int
    model_version: str

    @property
    def pending(self) -> bool:
        return self.pairs_done < self.pairs_total

    @property
    def percent(self) -> int:
        return 100 if not self.pairs_total else int(100 * self.pairs_done / self.pairs_total)


def scoring_progress() -> ScoringProgress:
    """Counts behind "N of M resumes scored" on the queue, upload and resume-list pages.

    A pair counts once the live model has scored it, so re-scoring after an activation
    shows its progress too (older scores do not count). Four queries, grouped in SQL.
    """
    active = ScoringModel.objects.filter(is_active=True).only("pk", "version").first()
    jobs = Job.objects.filter(is_open=True).count()
    total = Resume.objects.filter(status=Resume.Status.EXTRACTED).count()
    live = Pair.objects.filter(
        job__is_open=True,
        resume__status=Resume.Status.EXTRACTED,
        score__isnull=False,
        scoring_model=active,
    )
    # Pairs per resume, then summed: one grouped query for both counts.
    counts = (
        live.order_by()
        .values("resume")
        .annotate(n=Count("pk"))
        .aggregate(pairs=Coalesce(Sum("n"), 0), done=Count("resume", filter=Q(n__gte=jobs)))
    )
    return ScoringProgress(
        resumes_done=(counts["done"] if jobs else total) if active else 0,
        resumes_total=total,
        pairs_done=counts["pairs"] if active else 0,
        pairs_total=total * jobs,
        open_jobs=jobs,
        model_version=active.version if active else "",
    )


@dataclass
class JobScoringProgress:
    """How far the live model is with one job: its readable candidates it has scored."""

    done: int
    total: int

    @property
    def pending(self) -> bool:
        return self.done < self.total


def jobs_with_scoring_progress(*, model: ScoringModel) -> QuerySet[Job]:
    """Jobs annotated with `live_scored` (their pairs with a readable resume that `model`
    has scored) and `readable_resumes` (every readable resume: each is scored against
    every open job); job_scoring_progress reads them. Two subqueries in the job's own
    query, so the ranking page shows its progress without one query more."""
    readable = Resume.objects.filter(status=Resume.Status.EXTRACTED)
    scored = (
        Pair.objects.filter(
            job=OuterRef("pk"),
            score__isnull=False,
            scoring_model=model,
            resume__status=Resume.Status.EXTRACTED,
        )
        .order_by()
        .values("job")
        .annotate(n=Count("pk"))
        .values("n")
    )
    resumes = readable.order_by().values("status").annotate(n=Count("pk")).values("n")
    return Job.objects.annotate(
        live_scored=Coalesce(Subquery(scored, output_field=IntegerField()), 0),
        readable_resumes=Coalesce(Subquery(resumes, output_field=IntegerField()), 0),
    )


def job_scoring_progress(*, job: Job) -> JobScoringProgress | None:
    """The progress of a job fetched through jobs_with_scoring_progress; None for a closed
    job, which is not scored."""
    if not job.is_open:
        return None
    return JobScoringProgress(done=job.live_scored, total=job.readable_resumes)


# --- bulk import: how far the scoring of one import is (manage.py import_resumes --wait) --

# Ids per IN (...) list: under every backend's limit on query parameters.
_IDS_PER_QUERY = 900


def resumes_scoring_progress(*, resume_ids: list[int]) -> ScoringProgress:
    """scoring_progress for some resumes only: pairs the live model has scored between
    them and the open jobs. One query per 900 resumes, plus two."""
    active = ScoringModel.objects.filter(is_active=True).only("pk", "version").first()
    jobs = Job.objects.filter(is_open=True).count()
    pairs = resumes = 0
    for start in range(0, len(resume_ids), _IDS_PER_QUERY):
        chunk = resume_ids[start : start + _IDS_PER_QUERY]
        counts = (
            Pair.objects.filter(
                resume_id__in=chunk,
                job__is_open=True,
                score__isnull=False,
                scoring_model=active,
            )
            .order_by()
            .values("resume")
            .annotate(n=Count("pk"))
            .aggregate(pairs=Coalesce(Sum("n"), 0), done=Count("resume", filter=Q(n__gte=jobs)))
        )
        pairs += counts["pairs"]
        resumes += counts["done"]
    return ScoringProgress(
        resumes_done=(resumes if jobs else len(resume_ids)) if active else 0,
        resumes_total=len(resume_ids),
        pairs_done=pairs if active else 0,
        pairs_total=len(resume_ids) * jobs,
        open_jobs=jobs,
        model_version=active.version if active else "",
    )


def scoring_task_failures(*, group: str) -> list[str]:
    """Errors of the failed django-q2 tasks of one group (an import's scoring tasks).
    django-q2 keeps every failure, whatever its save_limit for successes."""
    from django_q.models import Failure

    return [
        f"{task.name}: {str(task.result).strip().splitlines()[-1] if task.result else 'failed'}"
        for task in Failure.objects.filter(group=group).order_by("started")
    ]


# --- anonymized view: what reviewers see of a resume (matching/anonymize.py) ---------------


def reviewer_anonymizes(*, user) -> bool:
    """Whether `user` sees resumes anonymized: their own choice if they made one, else
    ANONYMIZE_REVIEWS. No query for a session user: matching.backends loads the
    preference with the user; elsewhere one query per user object, then cached on it."""
    choice = None
    if user is not None and user.is_authenticated:
        try:
            choice = user.reviewer_preference.anonymize
        except ReviewerPreference.DoesNotExist:
            choice = None
    return settings.ANONYMIZE_REVIEWS if choice is None else choice


def reviewer_preference(*, user) -> bool | None:
    """The reviewer's own choice: True, False, or None (follows ANONYMIZE_REVIEWS)."""
    try:
        return user.reviewer_preference.anonymize
    except ReviewerPreference.DoesNotExist:
        return None


def resume_label(*, resume: Resume, anonymized: bool) -> str:
    """A resume's name on pages and in exports: its file name, which often carries the
    candidate's name, becomes "Candidate #<id>" in the anonymized view."""
    from matching.anonymize import anonymous_label

    return anonymous_label(resume.pk) if anonymized else resume.original_name


def resume_display_text(*, text: str, anonymized: bool) -> str:
    if not anonymized:
        return text
    from matching.anonymize import anonymize

    return anonymize(text).text


def _shown_span(text: str, *, anonymized: bool):
    """How a span of the embedded resume text (window spans of the cached vectors) maps
    onto the text shown, or None when the two are the same text."""
    if bool(settings.ANONYMIZE_SCORED_TEXT) == anonymized:
        return None
    from matching.anonymize import anonymize

    masked = anonymize(text)
    return masked.span_to_masked if anonymized else masked.span_to_original
