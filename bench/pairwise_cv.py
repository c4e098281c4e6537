"""Tried for issue 17 (2026-12-07): grouped CV of the fast head with a within-job (pairwise) squared loss at several weights. Kept in history, not in the product.
import json, sys
sys.path.insert(0, "/work/main/bench"); sys.path.insert(0, "/work/main")
import numpy as np
import scratch
scratch.setup("bench-store-")
from django.core.management import call_command
from scipy.stats import spearmanr
from matching.models_store import PRETRAINED_KEY
from training.fast import FastParams, train_fast, group_folds
from training.metrics import evaluate_with_ci
from training.steps import examples_features

call_command("migrate", verbosity=0)
examples = scratch.gulp_examples(scratch.GULP)
inputs = examples_features(examples, PRETRAINED_KEY, cache=False)
y = np.array([e.score for e in examples])
resumes = np.array([e.group for e in examples])
jobs = np.array([e.key[1] for e in examples])

def within(pred):
    rs = []
    for j in np.unique(jobs):
        m = jobs == j
        if m.sum() >= 3 and y[m].std() > 0 and pred[m].std() > 0:
            rs.append(spearmanr(y[m], pred[m])[0])
    return float(np.mean(rs)), len(rs)

weights = [float(w) for w in sys.argv[1:]] or [0.0, 0.3, 1.0, 3.0]
out = {}
for w in weights:
    for by in ("resume", "job"):
        groups = resumes if by == "resume" else jobs
        pred = np.empty(len(y))
        for fold in group_folds(groups, 5):
            rest = np.setdiff1d(np.arange(len(y)), fold)
            head, _ = train_fast(inputs.take(rest), y[rest], resumes[rest], params=FastParams(pairwise=w))
            held = inputs.take(fold)
            pred[fold] = head(held.resume_vectors, held.job_vectors, held.features)
        ev = evaluate_with_ci(y, pred, resumes)
        wj, nj = within(pred)
        out[f"{w}/{by}"] = (ev["spearman"], ev["ci"]["spearman"], ev["band_accuracy"], round(wj, 4), nj)
        print(w, by, out[f"{w}/{by}"], flush=True)
