"""Which encoder embeds: the backend (EMBEDDING_BACKEND) and the model folder, loaded
offline and cached per process.

Three backends embed the windows: "torch", plain sentence-transformers; "onnx", the same
model exported to ONNX and quantized to int8 (onnx_backend), about twice as fast on CPU;
"openvino", the same export as OpenVINO IR in bfloat16 (openvino_backend), faster still
where the CPU computes bfloat16. Importing them here is light: torch, onnxruntime and
openvino load inside the encoders' __init__.
"""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from matching.encoding.onnx_backend import OnnxEncoder
from matching.encoding.openvino_backend import OpenVinoEncoder
from matching.encoding.torch_backend import DocumentEncoder
from matching.encoding.windows import UnsupportedModel, WindowedEncoder
from matching.models_store import pretrained_model_path

logger = logging.getLogger(__name__)

BACKENDS = ("auto", "onnx", "openvino", "torch")


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMBEDDING_BACKEND must be one of {', '.join(BACKENDS)}, got {backend!r}"
        )
    return backend


@functools.cache
def cpu_computes_bfloat16() -> bool:
    """Whether this CPU has bfloat16 arithmetic (AVX512-BF16 or AMX), from the flags in
    /proc/cpuinfo, without loading OpenVINO; False where that file is missing. Read once
    per process: get_encoder asks on every call."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return bool({"avx512_bf16", "amx_bf16"} & set(line.split(":", 1)[-1].split()))
    return False


def resolved_backend(backend: str | None = None) -> str:
    """The backend that embeds: "auto" (the default) is OpenVINO where the CPU computes
    bfloat16 (2.1x PyTorch there, against 1.7x for int8) and int8 on ONNX Runtime
    elsewhere, where OpenVINO would compute in float32, slower than int8."""
    backend = check_backend(backend or settings.EMBEDDING_BACKEND)
    if backend == "auto":
        return "openvino" if cpu_computes_bfloat16() else "onnx"
    return backend


def build_encoder(path: Path, *, backend: str) -> WindowedEncoder:
    """A new encoder of a model folder with the given backend (no cache)."""
    options = {
        "window": settings.EMBEDDING_WINDOW_TOKENS,
        "overlap": settings.EMBEDDING_WINDOW_OVERLAP,
        "batch_size": settings.EMBEDDING_BATCH_SIZE,
    }
    backend = resolved_backend(backend)
    if backend == "openvino":
        try:
            return OpenVinoEncoder(path, **options)
        except UnsupportedModel as exc:
            logger.warning("%s; embedding with ONNX Runtime instead", exc)
            backend = "onnx"
    if backend == "onnx":
        try:
            return OnnxEncoder(path, **options)
        except UnsupportedModel as exc:
            # A folder whose modules the export does not reproduce (a Dense layer, a
            # pooling mode it lacks) still embeds correctly on torch: slower beats wrong.
            logger.warning("%s; embedding with torch instead", exc)
    return DocumentEncoder(path, **options)


_lock = threading.Lock()
_encoders: dict[tuple[str, str], WindowedEncoder] = {}


def get_encoder(path: Path | str | None = None, *, backend: str | None = None) -> WindowedEncoder:
    """The encoder for a model folder, loaded once per process (per backend).

    Only the most recently used encoder stays loaded: after an activation the old one is
    dropped, so a long-lived worker does not keep every version in memory.
    """
    backend = resolved_backend(backend)
    key = (backend, str(path or pretrained_model_path()))
    with _lock:
        encoder = _encoders.get(key)
        if encoder is None:
            encoder = build_encoder(Path(key[1]), backend=backend)
            _encoders.clear()
            _encoders[key] = encoder
        return encoder
