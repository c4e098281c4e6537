"""The OpenVINO backend of the encoder (EMBEDDING_BACKEND=openvino).

The same export as the ONNX backend (matching.encoding.onnx_export writes both): the
transformer unfused and unquantized as OpenVINO IR, computed in bfloat16 on CPUs that
have it natively (AVX512-BF16, AMX) and in float32 elsewhere. On the 2-core AVX512-BF16
machine it embeds 2.1 times as fast as PyTorch with vectors within 0.9999 cosine of
PyTorch's, against 1.7 times within 0.99 for int8 on ONNX Runtime; without bfloat16 it
is slower than int8 (docs/benchmarks.md, "Embedding backend"). Windows, tokenization
and pooling are the ONNX backend's. An export whose OpenVINO model is missing, failed
its check or does not compile here is embedded by the int8 graph instead.
"""

from __future__ import annotations

import numpy as np

from matching.encoding.onnx_backend import OnnxEncoder
from matching.encoding.onnx_export import MIN_COSINE, openvino_compiled, openvino_runner
from matching.encoding.windows import UnsupportedModel


class OpenVinoEncoder(OnnxEncoder):
    backend = "openvino"

    def _start(self, threads: int) -> None:
        found = self.manifest.get("openvino") or {}
        if not found.get("file"):
            why = found.get("error") or "made without one"
            raise UnsupportedModel(f"the export of {self.path} has no OpenVINO model ({why})")
        if found.get("check_min_cosine", 0.0) < MIN_COSINE:
            raise UnsupportedModel(
                f"the OpenVINO export of {self.path} agrees with PyTorch only to cosine "
                f"{found.get('check_min_cosine')}"
            )
        try:
            compiled, self.precision = openvino_compiled(
                self.export_path / found["file"], threads=threads
            )
        except Exception as exc:  # a missing file, or a CPU it cannot compile for
            raise UnsupportedModel(
                f"the OpenVINO export of {self.path} cannot be loaded: {exc}"
            ) from exc
        self.input_names = [p.get_any_name() for p in compiled.inputs]
        self._run = openvino_runner(compiled)

    def _hidden(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        return self._run(feeds)
