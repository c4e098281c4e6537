"""The ONNX Runtime int8 backend of the encoder (EMBEDDING_BACKEND=onnx).

The transformer of a sentence-transformers folder is exported to ONNX with torch.onnx
and quantized to int8 with onnxruntime's quantize_dynamic; pooling and normalisation
follow the folder's own modules (modules.json, the Pooling config) and run in numpy.
On the 2-core machine this embeds about twice as fast as PyTorch, with vectors within
0.99 cosine of PyTorch's (docs/benchmarks.md, "Embedding backend").

Where an export lives:
- a folder inside MODELS_STORE_DIR (a trained version, a run's incoming folder) keeps
  it inside itself, in `onnx-int8/`: it moves with the run's rename to its version and
  goes when the version folder is deleted;
- any other folder (the bundled model in site-packages, PRETRAINED_MODEL_PATH) is never
  written to: its export goes to MODELS_STORE_DIR/.onnx/<name>-<fingerprint>/, a cache
  that may be deleted at any time.

An export is written to a temporary folder and renamed into place when complete, so no
reader sees half an export; when two processes export at once the first rename wins and
the other discards its copy. The manifest names the fingerprint (a hash of the source
folder's files) and the format: a stale or foreign export is replaced, never used.

torch, transformers and onnxruntime are imported inside the functions that need them
(django-q2 forks workers from a parent that must not have loaded torch).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from matching.encoder import WindowedEncoder, offline

logger = logging.getLogger(__name__)

# Bump when the export or its manifest changes: older exports are then made again.
FORMAT_VERSION = 2
EXPORT_DIRNAME = "onnx-int8"
CACHE_DIRNAME = ".onnx"
MODEL_FILE = "model.onnx"
MANIFEST_FILE = "manifest.json"
OPSET = 17
POOLING_MODES = ("mean", "cls", "max")
# The export is checked against PyTorch on these texts before it is used; one that
# agrees less is not used (the folder is then embedded with torch).
MIN_COSINE = 0.99
CHECK_TEXTS = [
    "Senior Python developer: Django, PostgreSQL, REST APIs, Docker and Kubernetes on AWS.",
    "Registered nurse with eight years in intensive care; BLS and ACLS certified.",
    "Buchhalterin mit IFRS-Erfahrung, Monatsabschluss und Konzernberichterstattung in SAP FI.",
    "Figma",
    "Led a team of four engineers that rebuilt the payment service; cut latency by 40%. " * 8,
]
# A temporary folder older than this was left by a killed export and may be removed.
STALE_TEMP_S = 3600


class UnsupportedModel(Exception):
    """The folder has modules the export does not reproduce; torch serves it instead."""


# --- where exports live -------------------------------------------------------------------


def _store() -> Path:
    return Path(settings.MODELS_STORE_DIR)


def _hashed_files(source: Path) -> list[Path]:
    """The files that make up the model: everything but our own exports."""
    files = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if rel.parts[0] == EXPORT_DIRNAME or rel.parts[0].startswith(f".{EXPORT_DIRNAME}"):
            continue
        if path.is_file():
            files.append(path)
    return files


def fingerprint(source: Path) -> str:
    """A hash of the folder's files (names and contents) and of the export format."""
    digest = hashlib.sha256(f"format={FORMAT_VERSION};opset={OPSET}".encode())
    for path in _hashed_files(source):
        digest.update(str(path.relative_to(source)).encode() + b"\0")
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def export_dir(source: Path, *, print_: str | None = None) -> Path:
    """Where the export of a model folder lives (see the module docstring)."""
    store = _store().resolve()
    if source.resolve().is_relative_to(store):
        return source / EXPORT_DIRNAME
    print_ = print_ or fingerprint(source)
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in source.name)[:40]
    return _store() / CACHE_DIRNAME / f"{name}-{print_[:16]}"


def read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        return None
    if not (folder / MODEL_FILE).is_file():
        return None
    return manifest


def ensure_export(source: Path | str) -> tuple[Path, dict]:
    """The export of a model folder, made now if missing or stale; (folder, manifest)."""
    source = Path(source)
    print_ = fingerprint(source)
    target = export_dir(source, print_=print_)
    manifest = read_manifest(target)
    if manifest is not None and manifest.get("fingerprint") == print_:
        return target, manifest

    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    # mkdtemp makes it private; the web and the workers may run as different users.
    temp.chmod(0o755)
    try:
        started = time.perf_counter()
        manifest = export_model(source, temp, fingerprint=print_)
        logger.info("exported %s to ONNX int8 in %.1fs", source, time.perf_counter() - started)
        for _ in range(3):
            try:
                os.rename(temp, target)
                return target, manifest
            except OSError:
                # Another process renamed its export first (use it), or a stale one is in
                # the way: move that aside whole, so no reader sees it half deleted.
                theirs = read_manifest(target)
                if theirs is not None and theirs.get("fingerprint") == print_:
                    return target, theirs
                aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
                with contextlib.suppress(FileNotFoundError):
                    os.replace(target, aside / "old")
                shutil.rmtree(aside, ignore_errors=True)
        raise OSError(f"Could not put the ONNX export of {source} in place at {target}.")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@dataclass(frozen=True)
class ExportResult:
    source: Path
    folder: Path
    created: bool  # False: a current export was already there
    seconds: float


def encoder_export_onnx(*, path: Path) -> ExportResult:
    """Export a model folder now unless a current export exists (manage.py export_onnx)."""
    started = time.perf_counter()
    existing = read_manifest(export_dir(path))
    folder, manifest = ensure_export(path)
    created = existing is None or existing.get("fingerprint") != manifest["fingerprint"]
    return ExportResult(path, folder, created, round(time.perf_counter() - started, 2))


def _remove_stale_temps(target: Path) -> None:
    cutoff = time.time() - STALE_TEMP_S
    for temp in target.parent.glob(f".{target.name}.tmp-*"):
        try:
            if temp.stat().st_mtime < cutoff:
                shutil.rmtree(temp, ignore_errors=True)
        except FileNotFoundError:
            pass


# --- export -------------------------------------------------------------------------------


def _module_kind(entry: dict) -> str:
    # "sentence_transformers.models.Pooling" (ST 2-5) or
    # "sentence_transformers.sentence_transformer.modules.pooling.Pooling" (ST 6).
    return str(entry.get("type", "")).rsplit(".", 1)[-1]


def read_pipeline(source: Path) -> dict:
    """Pooling mode and normalisation from the folder's modules.json and Pooling config.

    Only Transformer -> Pooling (mean, cls or max) -> optional Normalize is reproduced;
    anything else (Dense layers, weighted pooling...) raises UnsupportedModel.
    """
    try:
        modules = json.loads((source / "modules.json").read_text())
    except (OSError, ValueError) as exc:
        raise UnsupportedModel(f"{source} has no readable modules.json") from exc
    kinds = [_module_kind(m) for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise UnsupportedModel(
            f"ONNX export supports Transformer, Pooling and Normalize modules; {source} has "
            f"{', '.join(kinds)}"
        )
    config = json.loads((source / modules[1].get("path", "") / "config.json").read_text())
    mode = config.get("pooling_mode")  # ST 6
    if mode is None:  # ST 2-5: one boolean per mode
        legacy = {
            "mean": "pooling_mode_mean_tokens",
            "cls": "pooling_mode_cls_token",
            "max": "pooling_mode_max_tokens",
            "mean_sqrt_len": "pooling_mode_mean_sqrt_len_tokens",
            "weightedmean": "pooling_mode_weightedmean_tokens",
            "lasttoken": "pooling_mode_lasttoken",
        }
        on = [name for name, key in legacy.items() if config.get(key)]
        mode = on[0] if len(on) == 1 else "+".join(on) or "none"
    if mode not in POOLING_MODES:
        raise UnsupportedModel(f"ONNX export does not reproduce {mode!r} pooling of {source}")
    return {"pooling": mode, "normalize": kinds[-1] == "Normalize"}


def _feed_forward_down_projections(model_path: Path, intermediate_size: int) -> list[str]:
    """MatMul nodes whose weight reads the feed-forward's inner width (the GELU output)."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(model_path)).graph
    shapes = {init.name: numpy_helper.to_array(init).shape for init in graph.initializer}
    return [
        node.name
        for node in graph.node
        if node.op_type == "MatMul"
        and len(shapes.get(node.input[1], ())) == 2
        and shapes[node.input[1]][0] == intermediate_size
    ]


@contextlib.contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """The quantizer logs a line per node to the root logger; none of it is actionable."""
    before = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(before)


def _fuse(model_path: Path, config: Any) -> bool:
    """Fuse attention, layer norms and GELU with ONNX Runtime's transformer optimizer
    (in place); True when attention was fused. A model whose graph does not match the
    BERT patterns keeps its unfused operators, which run correctly, only slower."""
    from onnxruntime.transformers.optimizer import optimize_model

    heads = int(getattr(config, "num_attention_heads", 0) or 0)
    hidden = int(getattr(config, "hidden_size", 0) or 0)
    with warnings.catch_warnings(), _quiet_root_logger():
        warnings.simplefilter("ignore")
        optimized = optimize_model(
            str(model_path), model_type="bert", num_heads=heads, hidden_size=hidden
        )
        optimized.save_model_to_file(str(model_path))
    return any(node.op_type == "Attention" for node in optimized.model.graph.node)


def _check_against_torch(st: Any, model_path: Path, pooling: str) -> float:
    """The lowest cosine between the export's and PyTorch's vectors of CHECK_TEXTS."""
    import onnxruntime

    expected = st.encode(
        CHECK_TEXTS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    session = onnxruntime.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    batch = st.tokenizer(
        CHECK_TEXTS,
        padding=True,
        truncation=True,
        max_length=st.max_seq_length,
        return_tensors="np",
    )
    feeds = {i.name: batch[i.name].astype(np.int64) for i in session.get_inputs()}
    got = pool(session.run(None, feeds)[0], batch["attention_mask"], pooling)
    return float((got * expected).sum(axis=1).min())


def pool(hidden: np.ndarray, attention_mask: np.ndarray, mode: str) -> np.ndarray:
    """Token vectors to unit sentence vectors, as the folder's Pooling (+ Normalize) does;
    encode_texts returns unit vectors whatever the folder's last module is."""
    mask = attention_mask[..., None].astype(np.float32)
    if mode == "mean":
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
    elif mode == "cls":
        pooled = hidden[:, 0]
    else:  # max, over real tokens only
        pooled = np.where(mask > 0, hidden, -1e9).max(axis=1)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def export_model(source: Path, folder: Path, *, fingerprint: str) -> dict:
    """Export and quantize the folder's transformer into `folder`; returns the manifest."""
    pipeline = read_pipeline(source)
    offline()
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    # Eager attention traces to the MatMul/Softmax pattern that ONNX Runtime's transformer
    # optimizer fuses into its Attention operator (the SDPA trace is left unfused).
    st = SentenceTransformer(
        str(source),
        device="cpu",
        local_files_only=True,
        model_kwargs={"attn_implementation": "eager"},
    )
    transformer = st[0]
    auto_model = transformer.auto_model.eval()
    config = auto_model.config
    tokenizer = st.tokenizer
    input_names = [
        n
        for n in ("input_ids", "attention_mask", "token_type_ids")
        if n in tokenizer.model_input_names
    ]

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(input_names, inputs, strict=True))).last_hidden_state

    sample = tokenizer(
        ["an example", "a second, longer example text"], padding=True, return_tensors="pt"
    )
    fp32 = folder / "model-fp32.onnx"
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad(), warnings.catch_warnings():
        # The TorchScript exporter warns that it is the legacy one and that traced shapes
        # are constants; the dynamic axes below keep batch and sequence free.
        warnings.simplefilter("ignore")
        # dynamo=False: the default dynamo exporter of torch 2.9+ needs onnxscript, and the
        # TorchScript exporter handles BERT-style encoders with dynamic axes as they are.
        torch.onnx.export(
            LastHiddenState(auto_model),
            tuple(sample[n] for n in input_names),
            str(fp32),
            input_names=input_names,
            output_names=["last_hidden_state"],
            dynamic_axes={**{n: axes for n in input_names}, "last_hidden_state": axes},
            opset_version=OPSET,
            dynamo=False,
        )
    fused = _fuse(fp32, config)
    # Per-tensor int8 activations cannot hold the outliers of the GELU output that the
    # feed-forward down-projections read: quantizing them too costs the worst windows
    # about 0.01 of cosine (0.983 instead of 0.993) for about 15% more speed. Per-channel
    # weights; only MatMuls with a constant weight (not the attention products) and the
    # fused attention's projections.
    keep_fp32 = _feed_forward_down_projections(fp32, int(config.intermediate_size))
    with warnings.catch_warnings(), _quiet_root_logger():
        warnings.simplefilter("ignore")
        quantize_dynamic(
            str(fp32),
            str(folder / MODEL_FILE),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul", "Attention"],
            nodes_to_exclude=keep_fp32,
            # Fused operators are from the com.microsoft domain, where shape inference
            # gives up: their outputs are float.
            extra_options={"MatMulConstBOnly": True, "DefaultTensorType": 1},
        )
    fp32.unlink()
    agreement = _check_against_torch(st, folder / MODEL_FILE, pipeline["pooling"])
    if agreement < MIN_COSINE:
        raise UnsupportedModel(
            f"the int8 export of {source} agrees with PyTorch only to cosine {agreement:.3f}"
        )
    manifest = {
        "format_version": FORMAT_VERSION,
        "fingerprint": fingerprint,
        "source": str(source),
        "input_names": input_names,
        "max_seq_length": int(st.max_seq_length or tokenizer.model_max_length),
        "do_lower_case": bool(getattr(transformer, "do_lower_case", False)),
        "dim": int(st.get_embedding_dimension()),
        **pipeline,
        "quantization": {
            "method": "onnxruntime.quantization.quantize_dynamic",
            "weights": "int8 per channel",
            "fused_attention": fused,
            "fp32_nodes": keep_fp32,
        },
        "check_min_cosine": round(agreement, 5),
        "opset": OPSET,
        "versions": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__},
    }
    # Written last: a folder with a manifest is a complete export.
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2))
    return manifest


# --- inference ----------------------------------------------------------------------------


def default_threads() -> int:
    if settings.EMBEDDING_ONNX_THREADS:
        return int(settings.EMBEDDING_ONNX_THREADS)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class OnnxEncoder(WindowedEncoder):
    """The encoder's interface on ONNX Runtime: same windows, vectors within 0.99 cosine."""

    backend = "onnx"

    def __init__(
        self,
        path: Path,
        *,
        window: int,
        overlap: int,
        batch_size: int,
        threads: int | None = None,
    ) -> None:
        offline()
        import onnxruntime
        from transformers import AutoTokenizer

        self.path = Path(path)
        self.export_path, self.manifest = ensure_export(self.path)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
        self.max_length = self._set_window(
            max_seq_length=self.manifest["max_seq_length"], window=window, overlap=overlap
        )
        self.batch_size = batch_size
        self.dim = int(self.manifest["dim"])
        self.pooling = self.manifest["pooling"]
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or default_threads()
        # One graph at a time per process; parallelism comes from the intra-op threads.
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        self.session = onnxruntime.InferenceSession(
            str(self.export_path / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )
        # The optimizer may drop an input the graph does not read.
        self.input_names = [i.name for i in self.session.get_inputs()]

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            out[start : start + self.batch_size] = self._embed(
                texts[start : start + self.batch_size]
            )
        return out

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self.manifest["do_lower_case"]:
            texts = [t.lower() for t in texts]
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
        )
        feeds: dict[str, Any] = {n: batch[n].astype(np.int64) for n in self.input_names}
        return pool(self.session.run(None, feeds)[0], batch["attention_mask"], self.pooling)
