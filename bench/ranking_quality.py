"""Ranking quality of the pre-trained scorer against plain MiniLM cosine and plain TF-IDF.

1. gulp-dev (../shared/datasets/gulp-dev.json): Spearman of each scorer with the human
   labels over all pairs, plus band accuracy of the calibrated score.
2. The role-retrieval set (bench/data/roles/roles.json): for each job, rank all resumes;
   precision@10 = share of the top 10 of the job's profession, averaged over jobs.
3. The same on roles-neighbours.json: those eight professions and a neighbouring one
   each (16 jobs, 192 resumes), where professions share much of their vocabulary.

    .venv/bin/python bench/ranking_quality.py [--gulp PATH] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resumeproject.settings")

import django  # noqa: E402

django.setup()

from scipy.stats import spearmanr  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from matching.models import Job, ScoringModel  # noqa: E402
from matching.models_store import PRETRAINED_KEY  # noqa: E402
from matching.scoring.inputs import TextPair  # noqa: E402
from matching.scoring.services import texts_score  # noqa: E402

GULP = ROOT.parent / "shared" / "datasets" / "gulp-dev.json"
ROLES = ROOT / "bench" / "data" / "roles" / "roles.json"
ROLES_NEIGHBOURS = ROOT / "bench" / "data" / "roles" / "roles-neighbours.json"
PRETRAINED = ScoringModel(version="pretrained", kind="pretrained", encoder_key=PRETRAINED_KEY)


def bands(v: np.ndarray) -> np.ndarray:
    return np.digitize(v, [0.3, 0.7])


def tfidf_scores(pairs: list[TextPair]) -> np.ndarray:
    """Plain TF-IDF cosine (scikit-learn defaults), fitted on the texts of the set."""
    texts = sorted({p.resume for p in pairs} | {p.job for p in pairs})
    vec = TfidfVectorizer().fit(texts)
    r = vec.transform([p.resume for p in pairs])
    j = vec.transform([p.job for p in pairs])
    return np.asarray(r.multiply(j).sum(axis=1)).ravel()


def evaluate_all(pairs: list[TextPair]) -> dict[str, np.ndarray]:
    scores, features = texts_score(pairs=pairs, model=PRETRAINED, cache=False)
    return {"blend": scores, "cosine": features["cosine"], "tfidf": tfidf_scores(pairs)}


def gulp(path: Path) -> dict:
    data = json.loads(path.read_text())
    pairs = [TextPair(resume=d["resume"], job=d["job_description"]) for d in data]
    y = np.array([d["score"] for d in data])
    t = time.perf_counter()
    result = evaluate_all(pairs)
    out = {name: {"spearman": round(float(spearmanr(s, y)[0]), 3)} for name, s in result.items()}
    out["blend"]["band_accuracy"] = round(float((bands(result["blend"]) == bands(y)).mean()), 3)
    out["blend"]["mae"] = round(float(np.abs(result["blend"] - y).mean()), 3)
    out["n"] = len(pairs)
    out["seconds"] = round(time.perf_counter() - t, 1)
    return out


def roles(path: Path) -> dict:
    data = json.loads(path.read_text())
    resumes = data["resumes"]
    pairs, relevant, job_of = [], [], []
    for k, spec in enumerate(data["jobs"]):
        job = Job(
            title=spec["title"],
            description=spec["description"],
            must_have="\n".join(spec.get("must_have", [])),
            nice_to_have="\n".join(spec.get("nice_to_have", [])),
        )
        text = job.embedded_text
        for r in resumes:
            pairs.append(TextPair(resume=r["text"], job=text, title=job.title))
            relevant.append(r["role"] == spec["id"])
            job_of.append(k)
    relevant_arr, job_arr = np.array(relevant), np.array(job_of)
    # TF-IDF is fitted per job (its 96 resumes and the job), as a user would run it.
    tfidf = np.zeros(len(pairs))
    for k in range(len(data["jobs"])):
        idx = np.flatnonzero(job_arr == k)
        tfidf[idx] = tfidf_scores([pairs[i] for i in idx])
    scores, features = texts_score(pairs=pairs, model=PRETRAINED, cache=False)
    result = {"blend": scores, "cosine": features["cosine"], "tfidf": tfidf}
    summary: dict = {}
    for name, s in result.items():
        p10, ap = [], []
        for k in range(len(data["jobs"])):
            idx = np.flatnonzero(job_arr == k)
            ranked = relevant_arr[idx[np.argsort(-s[idx], kind="stable")]]
            p10.append(float(ranked[:10].mean()))
            # Average precision over the whole ranking: where every right resume lands.
            hits = np.cumsum(ranked)
            ap.append(float((hits[ranked] / (np.flatnonzero(ranked) + 1)).mean()))
        summary[name] = {
            "precision@10": round(float(np.mean(p10)), 3),
            "map": round(float(np.mean(ap)), 3),
        }
    blend = result["blend"]
    summary["blend"]["median_score_matching_role"] = round(float(np.median(blend[relevant_arr])), 3)
    summary["blend"]["median_score_other_roles"] = round(float(np.median(blend[~relevant_arr])), 3)
    # "100% is rare": the share of right-profession resumes a page shows as 100% (0.995 and
    # up), and each job's best score.
    summary["blend"]["share_matching_shown_100"] = round(
        float((blend[relevant_arr] >= 0.995).mean()), 3
    )
    best = [float(blend[job_arr == k].max()) for k in range(len(data["jobs"]))]
    summary["blend"]["best_per_job_min_median_max"] = [
        round(v, 3) for v in (min(best), float(np.median(best)), max(best))
    ]
    summary["jobs"] = len(data["jobs"])
    summary["resumes"] = len(resumes)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gulp", type=Path, default=GULP)
    parser.add_argument("--roles", type=Path, default=ROLES)
    parser.add_argument("--neighbours", type=Path, default=ROLES_NEIGHBOURS)
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()
    results = {"roles": roles(args.roles)}
    if args.neighbours.exists():
        results["roles_neighbours"] = roles(args.neighbours)
    if args.gulp.exists():
        results["gulp_dev"] = gulp(args.gulp)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
