"""The ONNX export of an encoder folder: torch.onnx, fused and quantized to int8, checked
against PyTorch before it is used (matching.encoding.onnx_backend puts it in place); beside
it the unfused float graph as OpenVINO IR, checked the same way (openvino_backend).

The format of an export is defined here: its files, its manifest, how its output is pooled.
torch, onnx, onnxruntime and sentence_transformers are imported inside the functions that
need them (django-q2 forks workers from a parent that must not have loaded torch).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from matching.encoding.windows import UnsupportedModel, offline

logger = logging.getLogger(__name__)

# Bump when the export or its manifest changes: older exports are then made again.
FORMAT_VERSION = 3
MODEL_FILE = "model.onnx"
# The same transformer, unfused and unquantized, as OpenVINO's IR with float16 weights
# (EMBEDDING_BACKEND=openvino, matching.encoding.openvino_backend): it computes in
# bfloat16 on CPUs that have it, faster than int8 there and closer to PyTorch.
OPENVINO_FILE = "model-openvino.xml"
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
    # Heavy native library, imported here: onnx loads only where a model is exported.
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
    # Heavy native library, imported here: onnxruntime loads only where a model is exported.
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
    # Heavy native library, imported here: onnxruntime loads only where a model is exported.
    import onnxruntime

    session = onnxruntime.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]
    return agreement_with_torch(st, pooling, names, lambda feeds: session.run(None, feeds)[0])


def agreement_with_torch(
    st: Any, pooling: str, input_names: list[str], hidden: Callable[[dict], np.ndarray]
) -> float:
    """The lowest cosine between PyTorch's vectors of CHECK_TEXTS and those pooled from
    `hidden` (a tokenized batch to the last hidden state)."""
    expected = st.encode(
        CHECK_TEXTS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    batch = st.tokenizer(
        CHECK_TEXTS,
        padding=True,
        truncation=True,
        max_length=st.max_seq_length,
        return_tensors="np",
    )
    feeds = {n: batch[n].astype(np.int64) for n in input_names}
    got = pool(hidden(feeds), batch["attention_mask"], pooling)
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
    st, input_names = _load_for_export(source)
    config = st[0].auto_model.config
    fp32 = folder / "model-fp32.onnx"
    _export_fp32(st, input_names, fp32)
    openvino = _to_openvino(
        st, fp32, folder / OPENVINO_FILE, pooling=pipeline["pooling"], input_names=input_names
    )
    fused = _fuse(fp32, config)
    # Per-tensor int8 activations cannot hold the outliers of the GELU output that the
    # feed-forward down-projections read: quantizing them too costs the worst windows
    # about 0.01 of cosine (0.983 instead of 0.993) for about 15% more speed. Per-channel
    # weights; only MatMuls with a constant weight (not the attention products) and the
    # fused attention's projections.
    keep_fp32 = _feed_forward_down_projections(fp32, int(config.intermediate_size))
    _quantize(fp32, folder / MODEL_FILE, keep_fp32)
    fp32.unlink()
    agreement = _check_against_torch(st, folder / MODEL_FILE, pipeline["pooling"])
    if agreement < MIN_COSINE:
        raise UnsupportedModel(
            f"the int8 export of {source} agrees with PyTorch only to cosine {agreement:.3f}"
        )
    manifest = _manifest(
        st,
        source=source,
        fingerprint=fingerprint,
        input_names=input_names,
        pipeline=pipeline,
        fused=fused,
        keep_fp32=keep_fp32,
        agreement=agreement,
    )
    manifest["openvino"] = openvino
    # Written last: a folder with a manifest is a complete export.
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2))
    return manifest


def _load_for_export(source: Path) -> tuple[Any, list[str]]:
    """The folder as sentence-transformers loads it, and the inputs its tokenizer gives."""
    offline()
    # Heavy ML, imported here: torch loaded before django-q2 forks its workers deadlocks them.
    from sentence_transformers import SentenceTransformer

    # Eager attention traces to the MatMul/Softmax pattern that ONNX Runtime's transformer
    # optimizer fuses into its Attention operator (the SDPA trace is left unfused).
    st = SentenceTransformer(
        str(source),
        device="cpu",
        local_files_only=True,
        model_kwargs={"attn_implementation": "eager"},
    )
    tokenizer = st.tokenizer
    input_names = [
        n
        for n in ("input_ids", "attention_mask", "token_type_ids")
        if n in tokenizer.model_input_names
    ]
    return st, input_names


def _export_fp32(st: Any, input_names: list[str], fp32: Path) -> None:
    """The transformer's last hidden state as an fp32 ONNX graph, batch and length free."""
    # Heavy ML, imported here: torch loaded before django-q2 forks its workers deadlocks them.
    import torch

    auto_model = st[0].auto_model.eval()
    tokenizer = st.tokenizer

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(input_names, inputs, strict=True))).last_hidden_state

    sample = tokenizer(
        ["an example", "a second, longer example text"], padding=True, return_tensors="pt"
    )
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


def _to_openvino(st: Any, fp32: Path, out: Path, *, pooling: str, input_names: list[str]) -> dict:
    """The unfused fp32 graph as OpenVINO IR (weights stored as float16), checked against
    PyTorch in the precision this CPU computes it in. What the manifest says of it."""
    # Heavy native library, imported here: openvino loads only where a model is exported.
    import openvino

    try:
        openvino.save_model(openvino.convert_model(str(fp32)), str(out), compress_to_fp16=True)
        compiled, precision = openvino_compiled(out, threads=0)
        agreement = agreement_with_torch(st, pooling, input_names, openvino_runner(compiled))
    except Exception as exc:  # any failure of OpenVINO's, named in the manifest
        # The int8 graph beside it does not depend on OpenVINO: the export stands without.
        logger.warning("no OpenVINO model for %s: %s", fp32, exc)
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}
    return {
        "file": out.name,
        "precision": precision,
        "check_min_cosine": round(agreement, 5),
        "version": openvino.get_version(),
    }


def openvino_compiled(path: Path, *, threads: int) -> tuple[Any, str]:
    """An OpenVINO IR compiled for this CPU, and its precision: bfloat16 where the CPU
    computes it natively (AVX512-BF16 or AMX), float32 elsewhere. threads 0: OpenVINO's
    choice."""
    import openvino

    core = openvino.Core()
    precision = "bf16" if "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES") else "f32"
    config: dict[str, Any] = {"INFERENCE_PRECISION_HINT": precision, "PERFORMANCE_HINT": "LATENCY"}
    if threads:
        config["INFERENCE_NUM_THREADS"] = threads
    return core.compile_model(str(path), "CPU", config), precision


def openvino_runner(compiled: Any) -> Callable[[dict], np.ndarray]:
    """A tokenized batch to the last hidden state. An infer request per thread: threads
    sharing the compiled model never share one, and a thread's batches reuse its buffers
    (fresh ones per batch are page faults, which cost in a VM). Outputs are copies."""
    output = compiled.output(0)
    local = threading.local()

    def run(feeds: dict) -> np.ndarray:
        request = getattr(local, "request", None)
        if request is None:
            request = local.request = compiled.create_infer_request()
        result: np.ndarray = request.infer(feeds, share_outputs=False)[output]
        return result

    return run


def _quantize(fp32: Path, out: Path, keep_fp32: list[str]) -> None:
    # Heavy native library, imported here: onnxruntime loads only where a model is exported.
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with warnings.catch_warnings(), _quiet_root_logger():
        warnings.simplefilter("ignore")
        quantize_dynamic(
            str(fp32),
            str(out),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul", "Attention"],
            nodes_to_exclude=keep_fp32,
            # Fused operators are from the com.microsoft domain, where shape inference
            # gives up: their outputs are float.
            extra_options={"MatMulConstBOnly": True, "DefaultTensorType": 1},
        )


def _manifest(
    st: Any,
    *,
    source: Path,
    fingerprint: str,
    input_names: list[str],
    pipeline: dict,
    fused: bool,
    keep_fp32: list[str],
    agreement: float,
) -> dict:
    """What an export is: its source, format, shapes, pooling, quantization and check."""
    # Heavy ML, imported here for their versions: torch before django-q2's fork deadlocks.
    import onnxruntime
    import torch

    transformer = st[0]
    return {
        "format_version": FORMAT_VERSION,
        "fingerprint": fingerprint,
        "source": str(source),
        "input_names": input_names,
        "max_seq_length": int(st.max_seq_length or st.tokenizer.model_max_length),
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
