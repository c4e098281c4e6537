"""The ONNX Runtime int8 backend (EMBEDDING_BACKEND=onnx) against plain PyTorch.

Tests marked integration use the real bundled model, exported once per session. The
others use a tiny random BERT saved as a sentence-transformers folder (built here, no
download), so export, pooling and atomicity are checked in a second or two.
"""

from __future__ import annotations

import io
import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from matching.encoding import registry
from matching.encoding.onnx_backend import (
    OnnxEncoder,
    encoder_export_onnx,
    ensure_export,
    export_dir,
)
from matching.encoding.onnx_export import MANIFEST_FILE, MODEL_FILE
from matching.encoding.openvino_backend import OpenVinoEncoder
from matching.encoding.registry import build_encoder, get_encoder
from matching.encoding.torch_backend import DocumentEncoder
from matching.encoding.windows import UnsupportedModel
from matching.intake.extraction import extract_text
from matching.models_store import (
    CACHE_DIRNAME,
    EXPORT_DIRNAME,
    PRETRAINED_KEY,
    encoder_path,
    pretrained_model_path,
)
from training import store

ROOT = Path(__file__).resolve().parents[2]
DEMO_RESUMES = ROOT / "demo" / "resumes"
REQUIREMENTS = ["Python and Django", "Registered nurse, ICU", "IFRS month-end close", "Figma"]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def session_store(tmp_path_factory) -> Path:
    """A MODELS_STORE_DIR kept for the session, holding the bundled model's one export."""
    return tmp_path_factory.mktemp("onnx-store")


@pytest.fixture(scope="session")
def real_encoders(session_store) -> dict:
    """The three backends of the bundled model; the export (ONNX and OpenVINO) is made
    here, once."""
    with override_settings(MODELS_STORE_DIR=session_store):
        path = pretrained_model_path()
        return {
            "torch": build_encoder(path, backend="torch"),
            "onnx": build_encoder(path, backend="onnx"),
            "openvino": build_encoder(path, backend="openvino"),
        }


@pytest.fixture(scope="session")
def demo_texts() -> list[str]:
    """The demo's twelve real resumes (PDF, DOCX, TXT, Markdown) as extracted text."""
    return [extract_text(p.name, p.read_bytes()) for p in sorted(DEMO_RESUMES.iterdir())]


def _tiny_model(folder: Path, *, pooling: str = "mean", dense: bool = False) -> Path:
    """A 2-layer random BERT with the bundled model's tokenizer, as a ST folder."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import (
        Dense,
        Normalize,
        Pooling,
        Transformer,
    )
    from transformers import AutoTokenizer, BertConfig, BertModel

    tokenizer = AutoTokenizer.from_pretrained(str(pretrained_model_path()))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
    )
    torch.manual_seed(0)
    raw = folder.parent / f"{folder.name}-raw"
    BertModel(config).save_pretrained(str(raw))
    tokenizer.save_pretrained(str(raw))
    transformer = Transformer(str(raw), max_seq_length=64)
    modules = [transformer, Pooling(32, pooling_mode=pooling)]
    if dense:
        modules.append(Dense(32, 16))
    modules.append(Normalize())
    SentenceTransformer(modules=modules, device="cpu").save(str(folder))
    shutil.rmtree(raw)
    return folder


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A small sentence-transformers folder outside any model store (mean pooling)."""
    return _tiny_model(tmp_path_factory.mktemp("tiny") / "tiny-minilm")


# --- the real model: vectors agree --------------------------------------------------------


@pytest.mark.integration
def test_onnx_document_and_window_vectors_of_real_resumes_match_torch(real_encoders, demo_texts):
    torch_vectors = real_encoders["torch"].encode_documents(demo_texts)
    onnx_vectors = real_encoders["onnx"].encode_documents(demo_texts)

    windows = 0
    for t, o in zip(torch_vectors, onnx_vectors, strict=True):
        assert o.chunk_spans == t.chunk_spans  # one windowing code for both
        assert float(o.vector @ t.vector) >= 0.99
        assert cosines(o.chunk_vectors, t.chunk_vectors).min() >= 0.99
        windows += len(t.chunk_spans)
    assert windows >= 20  # the demo resumes are long enough to need several windows each


@pytest.mark.integration
def test_onnx_vectors_of_short_texts_match_torch_and_are_unit_length(real_encoders):
    o = real_encoders["onnx"].encode_texts(REQUIREMENTS)
    t = real_encoders["torch"].encode_texts(REQUIREMENTS)
    assert o.shape == t.shape == (len(REQUIREMENTS), real_encoders["torch"].dim)
    assert np.allclose(np.linalg.norm(o, axis=1), 1.0, atol=1e-5)
    assert cosines(o, t).min() >= 0.99


@pytest.mark.integration
def test_openvino_vectors_of_real_resumes_match_torch_closer_than_int8(real_encoders, demo_texts):
    """OpenVINO computes the same export's float graph (in bfloat16 where the CPU has it):
    the same windows, and vectors at least as close to PyTorch's as the int8 ones."""
    ov = real_encoders["openvino"]
    assert isinstance(ov, OpenVinoEncoder)
    assert ov.manifest["openvino"]["check_min_cosine"] >= 0.99
    torch_vectors = real_encoders["torch"].encode_documents(demo_texts)
    ov_vectors = ov.encode_documents(demo_texts)
    onnx_vectors = real_encoders["onnx"].encode_documents(demo_texts)
    for t, v, o in zip(torch_vectors, ov_vectors, onnx_vectors, strict=True):
        assert v.chunk_spans == t.chunk_spans
        ov_cos = cosines(v.chunk_vectors, t.chunk_vectors)
        assert ov_cos.min() >= 0.99
        assert ov_cos.mean() >= cosines(o.chunk_vectors, t.chunk_vectors).mean()
    short = ov.encode_texts(REQUIREMENTS)
    assert np.allclose(np.linalg.norm(short, axis=1), 1.0, atol=1e-5)
    assert cosines(short, real_encoders["torch"].encode_texts(REQUIREMENTS)).min() >= 0.99


def test_an_export_without_a_usable_openvino_model_is_embedded_by_onnx(tiny_model, caplog):
    """An export whose OpenVINO check failed (or made before it had one) falls back to
    the int8 graph of the same export, never to nothing."""
    folder, manifest = ensure_export(tiny_model)
    manifest_path = folder / MANIFEST_FILE
    original = manifest_path.read_text()
    try:
        manifest_path.write_text(
            json.dumps({**manifest, "openvino": {**manifest["openvino"], "check_min_cosine": 0.5}})
        )
        encoder = build_encoder(tiny_model, backend="openvino")
    finally:
        manifest_path.write_text(original)
    assert type(encoder) is OnnxEncoder
    assert "agrees with PyTorch only to cosine 0.5" in caplog.text
    assert "embedding with ONNX Runtime instead" in caplog.text


def test_an_openvino_failure_at_export_leaves_the_int8_export_standing(
    tmp_path, monkeypatch, caplog
):
    """OpenVINO is an extra: when it fails the export still serves int8, the manifest
    names the failure, and EMBEDDING_BACKEND=openvino embeds with the int8 graph."""
    import openvino

    def broken(*args, **kwargs):
        raise RuntimeError("conversion failed on purpose")

    monkeypatch.setattr(openvino, "convert_model", broken)
    folder = _tiny_model(tmp_path / "tiny-no-openvino")
    export, manifest = ensure_export(folder)
    assert (export / MODEL_FILE).is_file()
    assert manifest["openvino"] == {"error": "RuntimeError: conversion failed on purpose"}
    encoder = build_encoder(folder, backend="openvino")
    assert type(encoder) is OnnxEncoder
    assert "has no OpenVINO model (RuntimeError: conversion failed on purpose)" in caplog.text


@pytest.mark.integration
def test_bundled_model_is_exported_to_the_store_cache_never_beside_it(real_encoders, session_store):
    onnx = real_encoders["onnx"]
    assert onnx.export_path.parent == session_store / CACHE_DIRNAME
    assert not (pretrained_model_path() / EXPORT_DIRNAME).exists()
    manifest = json.loads((onnx.export_path / MANIFEST_FILE).read_text())
    # Pooling and normalisation come from the folder's own modules.
    assert manifest["pooling"] == "mean" and manifest["normalize"] is True
    assert manifest["max_seq_length"] == 256
    # Attention fused by ONNX Runtime's optimizer, and the export checked against torch.
    assert manifest["quantization"]["fused_attention"] is True
    assert manifest["check_min_cosine"] >= 0.99


@pytest.mark.integration
def test_second_use_reuses_the_export(real_encoders, session_store, settings):
    settings.MODELS_STORE_DIR = session_store
    model_file = real_encoders["onnx"].export_path / MODEL_FILE
    before = model_file.stat()

    result = encoder_export_onnx(path=pretrained_model_path())
    again = OnnxEncoder(pretrained_model_path(), window=256, overlap=64, batch_size=8)

    assert result.created is False
    assert again.export_path == real_encoders["onnx"].export_path
    after = model_file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.integration
def test_get_encoder_follows_the_setting_and_caches_per_backend(
    real_encoders, session_store, settings
):
    settings.MODELS_STORE_DIR = session_store  # the session's export: nothing re-exported
    path = pretrained_model_path()

    settings.EMBEDDING_BACKEND = "onnx"
    onnx = get_encoder(path)
    assert isinstance(onnx, OnnxEncoder)
    assert get_encoder(path) is onnx

    settings.EMBEDDING_BACKEND = "torch"
    torch_encoder = get_encoder(path)
    assert isinstance(torch_encoder, DocumentEncoder)
    assert get_encoder(path, backend="onnx") is not torch_encoder


@pytest.mark.integration
def test_a_trained_version_gets_its_export_inside_its_folder(real_encoders, settings, tmp_path):
    # A fine-tuned version as training/store.py publishes it: its own encoder folder (here
    # a copy of the bundled one), exported before the rename as the run does it.
    settings.EMBEDDING_BACKEND = "onnx"
    version = "custom-20260101-000000-run1"
    incoming = store.start_incoming(1)
    shutil.copytree(pretrained_model_path(), incoming / "encoder")
    store.export_encoder(incoming, version=version, encoder_key=version)
    store.write_metadata(incoming, {"version": version, "encoder_key": version})
    store.publish(1, version)

    encoder = get_encoder(encoder_path(version))
    assert isinstance(encoder, OnnxEncoder)
    folder = Path(settings.MODELS_STORE_DIR) / version
    assert encoder.export_path == folder / "encoder" / EXPORT_DIRNAME
    # Exported once, at publishing time, and moved with the rename.
    assert encoder_export_onnx(path=encoder_path(version)).created is False
    # Same weights as the bundled model, same vectors.
    o = encoder.encode_texts(REQUIREMENTS)
    assert cosines(o, real_encoders["onnx"].encode_texts(REQUIREMENTS)).min() > 0.999

    shutil.rmtree(folder)  # deleting a version leaves nothing of it behind
    assert sorted(p.name for p in Path(settings.MODELS_STORE_DIR).iterdir()) == [".incoming"]


@pytest.mark.integration
@pytest.mark.django_db
def test_export_onnx_command_exports_the_active_models_encoder(
    real_encoders, session_store, settings
):
    settings.MODELS_STORE_DIR = session_store
    out = io.StringIO()
    call_command("export_onnx", stdout=out)
    assert f"{PRETRAINED_KEY}: already exported" in out.getvalue()
    assert str(real_encoders["onnx"].export_path) in out.getvalue()


@pytest.mark.django_db
def test_export_onnx_command_names_an_unknown_version():
    with pytest.raises(CommandError, match="No model version 'custom-nope'"):
        call_command("export_onnx", "--model", "custom-nope")


# --- export mechanics on a tiny model -----------------------------------------------------


@pytest.mark.parametrize("pooling", ["mean", "cls", "max"])
def test_export_follows_the_folders_pooling_mode(tmp_path, pooling):
    folder = _tiny_model(tmp_path / f"tiny-{pooling}", pooling=pooling)
    texts = ["Senior Python developer, Django and PostgreSQL", "ICU nurse", "x " * 80]
    onnx = build_encoder(folder, backend="onnx")
    torch_encoder = build_encoder(folder, backend="torch")
    assert isinstance(onnx, OnnxEncoder) and onnx.manifest["pooling"] == pooling
    assert cosines(onnx.encode_texts(texts), torch_encoder.encode_texts(texts)).min() >= 0.99


def test_a_folder_with_modules_the_export_lacks_is_embedded_by_torch(tmp_path, caplog):
    folder = _tiny_model(tmp_path / "tiny-dense", dense=True)
    with pytest.raises(UnsupportedModel, match="Dense"):
        ensure_export(folder)

    encoder = build_encoder(folder, backend="onnx")

    assert isinstance(encoder, DocumentEncoder)
    assert "embedding with torch instead" in caplog.text


def test_a_stale_or_partial_export_is_replaced_whole(tiny_model):
    folder, manifest = ensure_export(tiny_model)
    # A partial export (no manifest), as a killed process before this design could leave.
    (folder / MANIFEST_FILE).unlink()
    again, manifest_again = ensure_export(tiny_model)
    assert again == folder and manifest_again["fingerprint"] == manifest["fingerprint"]
    # An export of other weights under the same name: its fingerprint does not match.
    stale = json.loads((folder / MANIFEST_FILE).read_text())
    (folder / MANIFEST_FILE).write_text(json.dumps({**stale, "fingerprint": "0" * 64}))
    _, fresh = ensure_export(tiny_model)
    assert fresh["fingerprint"] == manifest["fingerprint"]
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no temporary left


def test_changed_weights_get_a_new_export(tmp_path, tiny_model):
    copy = tmp_path / "tiny-minilm"
    shutil.copytree(tiny_model, copy)
    first = export_dir(copy)
    weights = copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1
    weights.write_bytes(bytes(data))
    assert export_dir(copy) != first


def test_two_processes_exporting_at_once_leave_one_complete_export(tiny_model, settings):
    script = (
        "import django, sys; django.setup();"
        "from matching.encoding.onnx_backend import ensure_export;"
        "print(ensure_export(sys.argv[1])[0])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "resumeproject.settings",
        "MODELS_STORE_DIR": str(settings.MODELS_STORE_DIR),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tiny_model)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in results]

    cache = Path(settings.MODELS_STORE_DIR) / CACHE_DIRNAME
    exports = list(cache.iterdir())
    assert len(exports) == 1  # the loser discarded its temporary folder
    assert {out.strip().splitlines()[-1] for out, _ in results} == {str(exports[0])}
    assert (exports[0] / MANIFEST_FILE).is_file() and (exports[0] / MODEL_FILE).is_file()


# --- the setting ----------------------------------------------------------------------------


def test_an_unknown_backend_setting_stops_start_up(monkeypatch):
    monkeypatch.setenv("EMBEDDING_BACKEND", "gpu")
    with pytest.raises(ImproperlyConfigured, match="EMBEDDING_BACKEND must be auto, onnx, op"):
        runpy.run_path(str(ROOT / "resumeproject" / "settings.py"))


def test_an_unknown_backend_at_run_time_fails_loudly(settings):
    settings.EMBEDDING_BACKEND = "gpu"
    with pytest.raises(ImproperlyConfigured, match="EMBEDDING_BACKEND"):
        get_encoder(pretrained_model_path())


def test_default_backend_is_auto():
    # The measured choice (docs/benchmarks.md): run without EMBEDDING_BACKEND set.
    if "EMBEDDING_BACKEND" in os.environ:
        pytest.skip("EMBEDDING_BACKEND is set in this environment")
    assert django_settings.EMBEDDING_BACKEND == "auto"


def test_auto_is_openvino_where_the_cpu_computes_bfloat16_and_int8_elsewhere(settings, monkeypatch):
    settings.EMBEDDING_BACKEND = "auto"
    monkeypatch.setattr(registry, "cpu_computes_bfloat16", lambda: True)
    assert registry.resolved_backend() == "openvino"
    monkeypatch.setattr(registry, "cpu_computes_bfloat16", lambda: False)
    assert registry.resolved_backend() == "onnx"
    assert registry.resolved_backend("torch") == "torch"  # a named backend is kept


def test_the_cpu_flags_are_read_from_proc_cpuinfo(monkeypatch, tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    real_path = registry.Path

    def at(flags: str):
        cpuinfo.write_text(f"processor\t: 0\nflags\t\t: fpu sse2 {flags}\n\n")
        monkeypatch.setattr(
            registry, "Path", lambda p: cpuinfo if p == "/proc/cpuinfo" else real_path(p)
        )
        registry.cpu_computes_bfloat16.cache_clear()  # read once per process
        return registry.cpu_computes_bfloat16()

    assert at("avx512f avx512_vnni avx512_bf16") is True
    assert at("amx_tile amx_bf16") is True
    assert at("avx512f avx512_vnni") is False
    cpuinfo.unlink()
    registry.cpu_computes_bfloat16.cache_clear()
    assert registry.cpu_computes_bfloat16() is False  # no such file: no bfloat16
    monkeypatch.undo()
    registry.cpu_computes_bfloat16.cache_clear()  # the real CPU's answer for later tests
