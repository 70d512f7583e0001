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
