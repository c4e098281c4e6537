"""The memory kernel of a trained head, exp((u . r - 1) / T), in 8-bit integers.

The kernel of 100,000 resumes against 500 remembered ones is a 100,000 x 500 x 384 matrix
product: 207 ms of numpy's float32 BLAS on a 2-core AMD EPYC, most of a new job's first
pass with a trained head (docs/benchmarks.md). numpy has no 8-bit matrix product; ONNX Runtime's
MatMulIntegerToFloat multiplies uint8 by int8 with the CPU's VNNI instructions and the
exponential runs in the same graph on all cores.

Quantization is fixed per head, never taken from the batch, so that a resume's row does
not depend on the resumes scored beside it (a pair scores the same alone or among
100,000, as the judgments issue asks of stable scores):
- the remembered resumes (columns): symmetric 7-bit values (within +-63) in int8, with a
  scale per resume. On CPUs without VNNI, ONNX Runtime's AVX2 kernel adds two uint8 x int8
  products in 16 bits, which saturates with full 8-bit columns (255 x 127 x 2 > 32,767):
  kernel values then came out up to 24% off on a 2-core AMD EPYC with AVX2 only. Seven
  bits cannot saturate; one quantization for every CPU;
- the resumes scored (rows): uint8 around 128 with one scale, RESUME_RANGE times the
  largest coordinate of the remembered resumes. Both are unit vectors of the same encoder
  (MiniLM's largest coordinate is about 0.23); a rarer coordinate beyond saturates.
The error this leaves is within 5% of a kernel value (a dot product's error of about
0.004, times 1 / T = 10; tests/training/test_fast.py measures it against the float64
kernel at 384 dimensions: 3.6% at most on that AVX2 CPU), and within 0.01 of the memory
feature it weighs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.encoding.onnx_backend import session_options

# The rows' quantization range as a multiple of the largest remembered coordinate.
RESUME_RANGE = 1.5
_INT8_MAX = 127
_COLUMN_MAX = 63  # 7 bits: see the module docstring


class MemoryKernel:
    """k(u, r) = exp((u . r - 1) / temperature) of resume vectors against fixed remembered
    resume vectors; float32[rows, remembered]."""

    def __init__(self, remembered: np.ndarray, temperature: float) -> None:
        remembered = np.asarray(remembered, np.float32)
        self.columns = remembered.shape[0]
        largest = float(np.abs(remembered).max()) if remembered.size else 1.0
        row_scale = np.float32(max(largest, 1e-6) * RESUME_RANGE / _INT8_MAX)
        column_scale = np.maximum(np.abs(remembered).max(axis=1), 1e-12) / _COLUMN_MAX
        quantized = np.round(remembered / column_scale[:, None]).astype(np.int8)
        self._session = _session(
            quantized.T.copy(),
            row_scale=row_scale,
            # (u . r) / T - 1 / T: the temperature folds into the column scales and a bias.
            column_scale=(column_scale / temperature).astype(np.float32),
            bias=np.full(self.columns, -1.0 / temperature, np.float32),
        )

    def __call__(self, resume_vectors: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """The kernel rows of these resumes; written into `out` (C-contiguous float32,
        rows x columns) when given: ONNX Runtime then writes there directly, instead of
        into fresh memory that is copied (at 100,000 rows, fresh pages cost more than the
        product in a VM)."""
        rows = np.ascontiguousarray(resume_vectors, np.float32)
        shape = (len(rows), self.columns)
        if out is None:
            out = np.empty(shape, np.float32)
        if out.shape != shape or out.dtype != np.float32 or not out.flags.c_contiguous:
            raise ValueError(f"out must be C-contiguous float32 of shape {shape}")
        if len(rows) == 0 or self.columns == 0:
            return out
        binding = self._session.io_binding()
        binding.bind_cpu_input("resumes", rows)
        binding.bind_output("kernel", "cpu", 0, np.float32, shape, out.ctypes.data)
        self._session.run_with_iobinding(binding)
        return out


def _session(
    quantized_t: np.ndarray, *, row_scale: np.float32, column_scale: np.ndarray, bias: np.ndarray
) -> Any:
    # Heavy native libraries, imported here: the parent django-q2 forks from stays light.
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    dim, columns = quantized_t.shape
    constants = {
        "remembered": quantized_t,
        "row_scale": np.asarray(row_scale, np.float32),
        "row_zero": np.asarray(128, np.uint8),
        "column_scale": column_scale,
        "bias": bias,
    }
    graph = helper.make_graph(
        [
            helper.make_node("QuantizeLinear", ["resumes", "row_scale", "row_zero"], ["q"]),
            helper.make_node(
                "MatMulIntegerToFloat",
                ["q", "remembered", "row_scale", "column_scale", "row_zero", "", "bias"],
                ["logits"],
                domain="com.microsoft",
            ),
            helper.make_node("Exp", ["logits"], ["kernel"]),
        ],
        "memory_kernel",
        [helper.make_tensor_value_info("resumes", TensorProto.FLOAT, [None, dim])],
        [helper.make_tensor_value_info("kernel", TensorProto.FLOAT, [None, columns])],
        [numpy_helper.from_array(value, name) for name, value in constants.items()],
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 19), helper.make_opsetid("com.microsoft", 1)]
    )
    return onnxruntime.InferenceSession(
        model.SerializeToString(), session_options(), providers=["CPUExecutionProvider"]
    )
