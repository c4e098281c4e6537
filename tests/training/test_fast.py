"""The fast trainer on synthetic pairs whose label is a known function of the inputs, and
the head it writes (matching.scoring.heads.TrainedHead)."""

from __future__ import annotations

import contextlib
import dataclasses
import threading

import numpy as np
import pytest

from matching.errors import ModelUnavailable
from matching.models_store import HEAD_FILE
from matching.scoring.features import FEATURE_NAMES
from matching.scoring.heads import (
    CACHE_MIN_ROWS,
    KERNEL_BLOCK,
    MEMORY_CUTOFF,
    MEMORY_PRIOR,
    TrainedHead,
)
from matching.scoring.inputs import PairInputs
from matching.scoring.vector_terms import ABSOLUTE, ROW_BLOCK, design_matrix
from training.fast import group_folds, train_fast
from training.metrics import evaluate

DIM = 16
JOBS = 6
PAIRS_PER_RESUME = 3


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def synthetic(resumes: int, *, seed: int, job_vectors: np.ndarray | None = None):
    """Pairs whose label is 0.1 + 0.8 * (a mix of the lexical feature and the agreement of
    the first vector components), plus a little noise: learnable, but not from any one
    input alone. Groups are resumes, as in a real run."""
    rng = np.random.default_rng(seed)
    jobs = job_vectors if job_vectors is not None else _unit(rng.normal(size=(JOBS, DIM)))
    resume_vecs = _unit(rng.normal(size=(resumes, DIM)))
    rows = [(r, j) for r in range(resumes) for j in rng.choice(JOBS, PAIRS_PER_RESUME, False)]
    r_idx = np.array([r for r, _ in rows])
    j_idx = np.array([j for _, j in rows])
    u, v = resume_vecs[r_idx], jobs[j_idx]
    features = {name: rng.uniform(0, 1, len(rows)).astype(np.float32) for name in FEATURE_NAMES}
    agreement = np.tanh(8 * u[:, 0] * v[:, 0]) / 2 + 0.5  # 0..1
    truth = 0.6 * features["lexical"] + 0.4 * agreement
    labels = np.clip(0.1 + 0.8 * truth + rng.normal(0, 0.02, len(rows)), 0, 1)
    inputs = PairInputs(resume_vectors=u, job_vectors=v, features=features)
    return inputs, labels, r_idx.astype(str), jobs


@pytest.fixture(scope="module")
def trained():
    inputs, labels, groups, jobs = synthetic(80, seed=1)
    reports: list[tuple[float, str]] = []
    head, chosen = train_fast(inputs, labels, groups, progress=lambda f, s: reports.append((f, s)))
    held_out = synthetic(30, seed=2, job_vectors=jobs)  # resumes it never saw
    return head, chosen, reports, held_out


def test_head_predicts_resumes_it_never_saw(trained):
    head, _, _, (inputs, labels, _, _) = trained
    predicted = head(inputs.resume_vectors, inputs.job_vectors, inputs.features)
    result = evaluate(labels, predicted)
    assert result["spearman"] > 0.85
    assert result["band_accuracy"] > 0.7  # chance with three bands is about a third


def test_head_trained_on_shuffled_labels_does_not(trained):
    """The same trainer on labels unrelated to the inputs: what "chance" measures here."""
    inputs, labels, groups, _ = synthetic(80, seed=1)
    head, _ = train_fast(inputs, np.random.default_rng(5).permutation(labels), groups)
    held, held_labels, _, _ = trained[3]
    predicted = head(held.resume_vectors, held.job_vectors, held.features)
    assert abs(evaluate(held_labels, predicted)["spearman"]) < 0.4


def test_calibration_knots_increase_and_scores_stay_in_0_1(trained):
    head, chosen, _, (inputs, _, _, _) = trained
    assert len(head.knots) == 4
    assert np.all(np.diff(head.knots) > 0)
    assert chosen["knots"] == [round(float(k), 4) for k in head.knots]
    extreme = {name: values * 50 - 25 for name, values in inputs.features.items()}
    for features in (inputs.features, extreme):
        scores = head(inputs.resume_vectors, inputs.job_vectors, features)
        assert scores.dtype == np.float32
        assert scores.min() >= 0.0 and scores.max() <= 1.0
    # The knots map onto the band edges.
    assert head.calibrate(head.knots).tolist() == pytest.approx([0.0, 0.3, 0.7, 1.0])


def test_calibration_is_monotone_so_ranking_follows_the_raw_score(trained):
    head, _, _, (inputs, _, _, _) = trained
    raw = head.raw(inputs.resume_vectors, inputs.job_vectors, inputs.features)
    calibrated = head.calibrate(raw)
    order = np.argsort(raw)
    assert np.all(np.diff(calibrated[order]) >= 0)


def test_one_job_vector_scores_like_per_pair_job_vectors(trained):
    head, _, _, (inputs, _, _, jobs) = trained
    rows = np.flatnonzero((inputs.job_vectors == jobs[2]).all(axis=1))
    features = {k: v[rows] for k, v in inputs.features.items()}
    per_pair = head(inputs.resume_vectors[rows], inputs.job_vectors[rows], features)
    one_job = head(inputs.resume_vectors[rows], jobs[2], features)
    np.testing.assert_allclose(one_job, per_pair, atol=1e-6)


def _memory_by_definition(
    head: TrainedHead, resume_vectors, job_vector, *, exact: bool = False
) -> np.ndarray:
    """The memory feature written out pair by pair, in float64: the reference that the
    folded, blocked version in TrainedHead must reproduce. The resume kernel is the
    head's 8-bit one (what scoring uses), or with `exact` the float64 definition, which
    test_the_8_bit_kernel_stays_close_to_the_exact_one compares it with."""
    job_w = np.exp((head.memory_jobs.astype(np.float64) @ job_vector - 1) / head.job_temperature)
    keep = job_w >= job_w.max() * MEMORY_CUTOFF
    prior = float(head.memory_scores.mean())
    if exact:
        sims = resume_vectors.astype(np.float64) @ head.memory_resumes.astype(np.float64).T
        kernel = np.exp((sims - 1) / head.resume_temperature)
    else:
        kernel = head._kernel(resume_vectors).astype(np.float64)[
            :, head._distinct_memory_resumes[1]
        ]
    out = []
    for k in kernel:
        w = k[keep] * job_w[keep]
        out.append((w @ head.memory_scores[keep] + MEMORY_PRIOR * prior) / (w.sum() + MEMORY_PRIOR))
    return np.array(out)


def test_the_8_bit_kernel_stays_close_to_the_exact_one_and_is_the_same_in_any_batch():
    """The memory kernel is computed in 8-bit integers (matching.scoring.kernel). With
    the encoder's 384 dimensions: each value within 5% of the float64 kernel (values
    0..1; the temperature of 0.1 turns a dot product's error of 0.004 into 4%), the
    memory feature within 0.01 (labels 0..1); and a resume's row is the same alone as
    among thousands, so a pair's score does not depend on the batch it is scored in."""
    rng = np.random.default_rng(11)
    dim = 384
    remembered = _unit(rng.normal(size=(300, dim)))
    jobs = _unit(rng.normal(size=(6, dim)))
    head = TrainedHead(
        coef=np.zeros(2 * dim + len(FEATURE_NAMES) + 1),
        intercept=0.0,
        feature_names=FEATURE_NAMES,
        memory_resumes=np.repeat(remembered, 2, axis=0).astype(np.float32),
        memory_jobs=jobs[rng.integers(0, len(jobs), 600)].astype(np.float32),
        memory_scores=rng.uniform(0, 1, 600).astype(np.float32),
        resume_temperature=0.1,
        job_temperature=0.1,
        knots=np.array([0.1, 0.3, 0.7, 0.9]),
    )
    # Resumes near remembered ones as well as far from all: the kernel's whole range.
    near = remembered[rng.integers(0, len(remembered), 500)]
    closeness = rng.uniform(5, 80, size=(500, 1))  # cosine to its remembered resume 0.25..0.97
    noise = rng.normal(size=(1000, dim))
    resumes = _unit(np.vstack([noise[:500], near * closeness + noise[500:]]))
    distinct = head._distinct_memory_resumes[0].astype(np.float64)
    exact = np.exp((resumes.astype(np.float64) @ distinct.T - 1) / head.resume_temperature)
    kernel = head._kernel(resumes)
    assert exact.max() > 0.7  # the near resumes reach the top of the range
    np.testing.assert_allclose(kernel, exact, rtol=0.05, atol=1e-4)
    np.testing.assert_array_equal(head._kernel(resumes[7:9]), kernel[7:9])
    for job in jobs[:3]:
        np.testing.assert_allclose(
            head.memory_scores_for(resumes, job),
            _memory_by_definition(head, resumes, job.astype(np.float64), exact=True),
            atol=0.01,
        )


def test_applying_a_head_computes_what_it_was_fitted_on(trained):
    """Scoring never builds the design matrix or the full kernel (too slow at 100,000
    resumes), so check it against both, on more rows than one block, for one job and
    for per-pair jobs. The remembered pairs repeat resumes (3 jobs each): folded."""
    head, _, _, (_, _, _, jobs) = trained
    assert len(np.unique(head.memory_resumes, axis=0)) < len(head.memory_resumes)
    rng = np.random.default_rng(9)
    n = ROW_BLOCK + 123
    resumes = rng.normal(size=(n, jobs.shape[1])).astype(np.float32)
    resumes /= np.linalg.norm(resumes, axis=1, keepdims=True)
    features = {name: rng.uniform(0, 1, n).astype(np.float32) for name in FEATURE_NAMES}
    memory = _memory_by_definition(head, resumes, jobs[1].astype(np.float64))
    np.testing.assert_allclose(head.memory_scores_for(resumes, jobs[1]), memory, atol=1e-5)
    per_pair_jobs = np.repeat(jobs[1][None], n, axis=0)
    expected = (
        design_matrix(resumes, per_pair_jobs, features, memory, head.feature_names) @ head.coef
        + head.intercept
    )
    np.testing.assert_allclose(head.raw(resumes, jobs[1], features), expected, atol=1e-4)
    np.testing.assert_allclose(head.raw(resumes, per_pair_jobs, features), expected, atol=1e-4)


def test_progress_moves_forward_to_one_and_the_choice_is_reported(trained):
    _, chosen, reports, _ = trained
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert chosen["alpha"] in (0.3, 1.0, 3.0)
    assert set(chosen["cv_spearman"]) == {"0.3", "1.0", "3.0"}
    assert chosen["folds"] == 5


def test_group_folds_keep_groups_whole_and_balanced():
    groups = np.array(["a"] * 5 + ["b"] * 3 + ["c"] * 3 + ["d"] * 2 + ["e"] * 2 + ["f"])
    folds = group_folds(groups, 3)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(groups)))
    for fold in folds:
        for g in set(groups[fold]):
            assert set(np.flatnonzero(groups == g)) <= set(fold.tolist())
    assert sorted(len(f) for f in folds) == [5, 5, 6]
    assert len(group_folds(np.array(["x", "x", "y"]), 5)) == 2  # never more than the groups


def test_saved_head_loads_and_scores_identically(trained, tmp_path):
    head, _, _, (inputs, _, _, _) = trained
    path = head.save(tmp_path)
    assert path == tmp_path / HEAD_FILE
    loaded = TrainedHead.load(tmp_path)
    assert loaded.feature_names == FEATURE_NAMES
    assert loaded.resume_temperature == head.resume_temperature
    before = head(inputs.resume_vectors, inputs.job_vectors, inputs.features)
    after = loaded(inputs.resume_vectors, inputs.job_vectors, inputs.features)
    assert np.array_equal(before, after)


def test_empty_input_scores_nothing(trained):
    head = trained[0]
    empty = {name: np.zeros(0, np.float32) for name in FEATURE_NAMES}
    assert head(np.zeros((0, DIM), np.float32), np.zeros(DIM, np.float32), empty).shape == (0,)


def test_missing_head_file_is_model_unavailable(tmp_path):
    with pytest.raises(ModelUnavailable, match="missing"):
        TrainedHead.load(tmp_path)


def test_head_of_another_format_version_is_model_unavailable(trained, tmp_path):
    trained[0].save(tmp_path)
    with np.load(tmp_path / HEAD_FILE) as data:
        arrays = dict(data)
    arrays["format"] = np.array(99)
    np.savez_compressed(tmp_path / HEAD_FILE, **arrays)
    with pytest.raises(ModelUnavailable, match="has format 99; this code reads formats 1, 2"):
        TrainedHead.load(tmp_path)


@pytest.mark.parametrize(
    "content",
    [b"not a head at all", b"PK\x03\x04 truncated zip"],
    ids=["garbage", "truncated"],
)
def test_unreadable_head_file_is_model_unavailable(tmp_path, content):
    (tmp_path / HEAD_FILE).write_bytes(content)
    with pytest.raises(ModelUnavailable):
        TrainedHead.load(tmp_path)


def test_head_written_without_the_expected_arrays_is_model_unavailable(tmp_path):
    np.savez_compressed(tmp_path / HEAD_FILE, coef=np.zeros(3))
    with pytest.raises(ModelUnavailable):
        TrainedHead.load(tmp_path)


def test_the_memory_of_every_job_comes_from_one_index_of_remembered_resumes(trained):
    """The distinct remembered resumes are found once per head (a fit asks for the memory
    of hundreds of jobs); each job still keeps only its own remembered pairs."""
    head, _, _, (_, _, _, jobs) = trained
    rng = np.random.default_rng(3)
    resumes = rng.normal(size=(200, jobs.shape[1])).astype(np.float32)
    resumes /= np.linalg.norm(resumes, axis=1, keepdims=True)
    for job in jobs:
        expected = _memory_by_definition(head, resumes, job.astype(np.float64))
        np.testing.assert_allclose(head.memory_scores_for(resumes, job), expected, atol=1e-5)
    distinct, row = head._distinct_memory_resumes
    np.testing.assert_array_equal(distinct[row], head.memory_resumes)


def _unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    return _unit(rng.normal(size=(n, DIM)))


def test_a_resume_matrix_scored_against_many_jobs_is_prepared_once(trained):
    """Ranking scores every job against one batch: the head keeps the batch's kernel to
    its remembered resumes and its (u * u) term while the batch lives, and each job's
    result is still the definition's; a new batch replaces what was kept."""
    head, _, _, (_, _, _, jobs) = trained
    rng = np.random.default_rng(5)
    first = _unit_rows(rng, CACHE_MIN_ROWS + 7)
    features = {name: rng.uniform(0, 1, len(first)).astype(np.float32) for name in FEATURE_NAMES}
    for job in jobs[:3]:
        memory = _memory_by_definition(head, first, job.astype(np.float64))
        expected = (
            design_matrix(first, np.repeat(job[None], len(first), 0), features, memory) @ head.coef
            + head.intercept
        )
        np.testing.assert_allclose(head.raw(first, job, features), expected, atol=1e-4)
        assert head._side.matrix() is first
        assert head._side.kernel.shape == (len(first), len(head._distinct_memory_resumes[0]))
    kept = head._side
    second = _unit_rows(rng, CACHE_MIN_ROWS)
    memory = _memory_by_definition(head, second, jobs[0].astype(np.float64))
    np.testing.assert_allclose(head.memory_scores_for(second, jobs[0]), memory, atol=1e-5)
    assert head._side is not kept and head._side.matrix() is second


def test_a_batch_longer_than_one_kernel_block_scores_as_the_definition(trained):
    """The kept kernel is computed KERNEL_BLOCK rows at a time and the (u * u) term in
    smaller blocks: rows on both sides of a block's edge score as the definition says."""
    head, _, _, (_, _, _, jobs) = trained
    rng = np.random.default_rng(11)
    batch = _unit_rows(rng, KERNEL_BLOCK + 5)
    features = {name: rng.uniform(0, 1, len(batch)).astype(np.float32) for name in FEATURE_NAMES}
    memory = _memory_by_definition(head, batch, jobs[2].astype(np.float64))
    expected = (
        design_matrix(batch, np.repeat(jobs[2][None], len(batch), 0), features, memory) @ head.coef
        + head.intercept
    )
    np.testing.assert_allclose(head.raw(batch, jobs[2], features), expected, atol=1e-4)
    assert head._side.matrix() is batch and head._side.kernel.shape[0] == len(batch)


def test_a_gone_batch_leaves_its_kernel_memory_to_the_next_and_a_live_one_keeps_it(trained):
    """Fresh pages for a 100,000-row kernel cost more than computing it in a VM, so the
    kernel of a batch that is gone is written over by the next batch of its size; a
    batch that still lives (another thread may be scoring it) keeps its own."""
    trained_head, _, _, (_, _, _, jobs) = trained
    head = dataclasses.replace(trained_head)
    rng = np.random.default_rng(8)
    batch = _unit_rows(rng, CACHE_MIN_ROWS)
    head.memory_scores_for(batch, jobs[0])
    first_kernel = head._side.kernel
    first_values = first_kernel.copy()
    alive = _unit_rows(rng, CACHE_MIN_ROWS)
    head.memory_scores_for(alive, jobs[0])
    assert head._side.kernel is not first_kernel
    kept = head._side.kernel
    del alive  # gone: its kernel's memory serves the next batch
    nxt = _unit_rows(rng, CACHE_MIN_ROWS)
    memory = head.memory_scores_for(nxt, jobs[1])
    assert head._side.kernel is kept
    expected = _memory_by_definition(head, nxt, jobs[1].astype(np.float64))
    np.testing.assert_allclose(memory, expected, atol=1e-5)
    np.testing.assert_array_equal(first_kernel, first_values)  # never written over: alive
    del nxt
    smaller = _unit_rows(rng, CACHE_MIN_ROWS + 1)  # another shape: a kernel of its own
    head.memory_scores_for(smaller, jobs[0])
    assert head._side.kernel is not kept and head._side.kernel.shape[0] == len(smaller)


def test_two_threads_preparing_batches_at_once_each_get_their_own_kernel(trained):
    """The spare kernel of a gone batch goes to one new batch only: two threads that
    score two new batches at once with one head each get their own batch's memory."""
    trained_head, _, _, (_, _, _, jobs) = trained
    head = dataclasses.replace(trained_head)
    rng = np.random.default_rng(12)
    gone = _unit_rows(rng, CACHE_MIN_ROWS)
    head.memory_scores_for(gone, jobs[0])
    del gone
    batches = [_unit_rows(rng, CACHE_MIN_ROWS) for _ in range(2)]
    expected = [_memory_by_definition(head, b, jobs[1].astype(np.float64)) for b in batches]
    # Each thread's kernel waits for the other's before and after writing (half a second
    # at most): were both let into the preparation at once, both would write the one
    # spare, and one would then read the other's kernel.
    kernel, meet = head._kernel, threading.Barrier(2)

    def kernel_meeting(block, out=None):
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=0.5)
        written = kernel(block, out=out)
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=0.5)
        return written

    head.__dict__["_kernel"] = kernel_meeting
    start = threading.Barrier(2)
    got: dict[int, np.ndarray] = {}

    def score(k: int) -> None:
        start.wait()
        got[k] = head.memory_scores_for(batches[k], jobs[1])

    threads = [threading.Thread(target=score, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(2):
        np.testing.assert_allclose(got[k], expected[k], atol=1e-5)


def test_a_small_matrix_is_scored_without_keeping_anything(trained):
    head, _, _, (_, _, _, jobs) = trained
    fresh = dataclasses.replace(head)
    rng = np.random.default_rng(6)
    small = _unit_rows(rng, CACHE_MIN_ROWS - 1)
    memory = _memory_by_definition(fresh, small, jobs[0].astype(np.float64))
    np.testing.assert_allclose(fresh.memory_scores_for(small, jobs[0]), memory, atol=1e-5)
    assert "_side" not in fresh.__dict__


def test_a_format_1_head_weighing_the_absolute_difference_still_loads_and_scores(trained, tmp_path):
    """Heads trained before format 2 weigh |u - v|; they are read and scored as trained."""
    head, _, _, (_, _, _, jobs) = trained
    old = dataclasses.replace(head, difference=ABSOLUTE)
    old.save(tmp_path)
    with np.load(tmp_path / HEAD_FILE) as data:
        assert int(data["format"]) == 1
    loaded = TrainedHead.load(tmp_path)
    assert loaded.difference == ABSOLUTE
    rng = np.random.default_rng(7)
    resumes = _unit_rows(rng, CACHE_MIN_ROWS + 3)
    features = {name: rng.uniform(0, 1, len(resumes)).astype(np.float32) for name in FEATURE_NAMES}
    memory = _memory_by_definition(loaded, resumes, jobs[1].astype(np.float64))
    per_pair = np.repeat(jobs[1][None], len(resumes), 0)
    expected = (
        design_matrix(resumes, per_pair, features, memory, difference=ABSOLUTE) @ loaded.coef
        + loaded.intercept
    )
    np.testing.assert_allclose(loaded.raw(resumes, jobs[1], features), expected, atol=1e-4)
    np.testing.assert_allclose(loaded.raw(resumes, per_pair, features), expected, atol=1e-4)
