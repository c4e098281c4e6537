"""Embedding throughput: PyTorch against ONNX Runtime int8 and OpenVINO, on the same resumes.

Real resumes (the German GULP profiles of /work/shared/datasets/gulp-dev.json when it is
there, and the demo's TXT and Markdown resumes) are cut into the encoder's windows of
256 word pieces and embedded by both backends through the same code path the product
uses (encode_documents: windows, batches of EMBEDDING_BATCH_SIZE, document vectors).
Repetitions rotate the backends (and which goes first), so load from other
processes hits both alike: the ratio is what to read, absolute figures are noisy on a
shared machine. Also prints each backend's cosine to PyTorch's vectors.

The ONNX export is made into a temporary MODELS_STORE_DIR, so its time is measured too.

    .venv/bin/python bench/embedding_speed.py [--windows 80] [--repeat 5] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "resumeproject.settings"
os.environ["MODELS_STORE_DIR"] = tempfile.mkdtemp(prefix="bench-embedding-")

import django  # noqa: E402

django.setup()

from matching.encoding.onnx_backend import default_threads  # noqa: E402
from matching.encoding.registry import build_encoder  # noqa: E402
from matching.models_store import pretrained_model_path  # noqa: E402

GULP = Path("/work/shared/datasets/gulp-dev.json")
DEMO = ROOT / "demo" / "resumes"


def real_resumes() -> list[str]:
    texts = [p.read_text() for p in sorted(DEMO.glob("*")) if p.suffix in {".txt", ".md"}]
    if GULP.exists():
        rows = json.loads(GULP.read_text())
        texts += list(dict.fromkeys(r["resume"] for r in rows))
    return texts


def take_windows(encoder, texts: list[str], target: int) -> tuple[list[str], int]:
    """Whole resumes, in order, until they make at least `target` windows."""
    chosen, windows = [], 0
    for text in texts:
        if windows >= target:
            break
        n = len(encoder.windows(text))
        if n:
            chosen.append(text)
            windows += n
    return chosen, windows


def timed(encoder, texts: list[str]) -> tuple[float, list]:
    started = time.perf_counter()
    out = encoder.encode_documents(texts)
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=80, help="Windows to embed per run.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs per backend.")
    parser.add_argument("--threads", type=int, default=0, help="Threads for each (0: CPUs).")
    args = parser.parse_args()

    import torch

    threads = args.threads or default_threads()
    torch.set_num_threads(threads)
    os.environ["EMBEDDING_ONNX_THREADS"] = str(threads)
    from django.conf import settings

    settings.EMBEDDING_ONNX_THREADS = threads

    path = pretrained_model_path()
    encoders = {"torch": build_encoder(path, backend="torch")}
    started = time.perf_counter()
    encoders["onnx"] = build_encoder(path, backend="onnx")
    export_s = time.perf_counter() - started  # one export serves onnx and openvino
    encoders["openvino"] = build_encoder(path, backend="openvino")
    names = list(encoders)

    texts, n_windows = take_windows(encoders["torch"], real_resumes(), args.windows)
    # One untimed run each: first calls allocate and pick kernels.
    vectors = {name: timed(enc, texts)[1] for name, enc in encoders.items()}
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(args.repeat):
        # Each backend takes each place in the order in turn: load hits them alike.
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            seconds[name].append(timed(encoders[name], texts)[0])

    rate = {k: n_windows / statistics.median(v) for k, v in seconds.items()}
    print(
        f"{len(texts)} resumes, {n_windows} windows of up to {encoders['torch'].window + 2} "
        f"word pieces, {args.repeat} rotating runs per backend, {threads} threads, "
        f"{os.cpu_count()} CPUs; export {export_s:.1f}s (once per model folder); "
        f"OpenVINO computes in {getattr(encoders['openvino'], 'precision', '?')}\n"
    )
    print("| backend | windows/s (median) | windows/s (best) | seconds per run (median) |")
    print("|---|---|---|---|")
    for name in names:
        best = n_windows / min(seconds[name])
        med = statistics.median(seconds[name])
        print(f"| {name} | {rate[name]:.1f} | {best:.1f} | {med:.2f} |")
    for name in names[1:]:
        compare(name, seconds, rate, vectors)


def compare(name: str, seconds: dict, rate: dict, vectors: dict) -> None:
    """Speed-up over torch and the cosine to torch's vectors of one backend."""
    pairs = list(zip(vectors["torch"], vectors[name], strict=True))
    assert all(a.chunk_spans == b.chunk_spans for a, b in pairs), "the same windows"
    doc_cos = np.array([float(a.vector @ b.vector) for a, b in pairs])
    win_cos = np.concatenate([(a.chunk_vectors * b.chunk_vectors).sum(axis=1) for a, b in pairs])
    per_rep = [t / o for t, o in zip(seconds["torch"], seconds[name], strict=True)]
    print(
        f"\n{name}/torch: {rate[name] / rate['torch']:.2f}x of the medians; per run "
        f"min {min(per_rep):.2f}x, median {statistics.median(per_rep):.2f}x; cosine to torch: "
        f"documents mean {doc_cos.mean():.4f} min {doc_cos.min():.4f}, "
        f"windows mean {win_cos.mean():.4f} min {win_cos.min():.4f}"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(os.environ["MODELS_STORE_DIR"], ignore_errors=True)
