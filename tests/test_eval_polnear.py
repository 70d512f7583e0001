"""The PolNeAR scorer: brat reading, exact/overlap matching, source and cue accuracy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.eval.polnear import GoldAttribution, SysAttribution, evaluate_polnear, read_ann, score

SHARED = Path(__file__).resolve().parents[2] / "shared"
POLNEAR_DEV = SHARED / "benchmarks" / "polnear" / "data" / "dev"

TEXT = (
    "Smith said that the plan would fail.\nJones warned that prices would rise sharply.\nThe sky was blue.\n"
)


def _at(sub: str) -> tuple[int, int]:
    i = TEXT.index(sub)
    return i, i + len(sub)


def _ann() -> str:
    rows = [
        ("T1", "Source", "Smith"),
        ("T2", "Cue", "said"),
        ("T3", "Content", "that the plan would fail"),
        ("T4", "Source", "Jones"),
        ("T5", "Cue", "warned"),
        ("T6", "Content", "prices would rise"),
        ("T7", "Content", "The sky was blue"),
    ]
    lines = []
    for ident, label, sub in rows:
        a, b = _at(sub)
        lines.append(f"{ident}\t{label} {a} {b}\t{sub}")
    lines += [
        "T8\tAttribution 6 10\tsaid",
        "E1\tAttribution:T8 Content:T3 Cue:T2 Source:T1",
        "E2\tAttribution:T8 Content:T6 Cue:T5 Source:T4",
        "E3\tAttribution:T8 Content:T7",
    ]
    return "\n".join(lines) + "\n"


def test_read_ann_roles_and_fragments() -> None:
    gold = read_ann(_ann() + "T9\tContent 0 5;11 15\tSmith that\nE4\tAttribution:T8 Content:T9\n")
    assert len(gold) == 4
    assert gold[0] == GoldAttribution(
        content=(_at("that the plan would fail"),), source=(_at("Smith"),), cue=(_at("said"),)
    )
    assert gold[2].source == () and gold[2].cue == ()
    assert gold[3].content == ((0, 5), (11, 15))


def test_score_exact_numbers() -> None:
    gold = read_ann(_ann())
    system = [
        # exact content, right source and cue
        SysAttribution(content=_at("that the plan would fail"), source=_at("Smith"), cue=_at("said")),
        # 3 gold tokens inside 5 system tokens: overlap match (3/3 and 3/5), not exact; wrong source
        SysAttribution(
            content=_at("that prices would rise sharply"), source=_at("warned"), cue=_at("warned")
        ),
        # half of the gold tokens, nothing else
        SysAttribution(content=_at("sky was"), source=None, cue=None),
    ]
    result = score([("doc", TEXT, gold, system)])
    # "sky was" covers 2/4 of "The sky was blue" (>= .5) and is all gold (2/2): it matches too
    assert result["gold"] == 3 and result["system"] == 3 and result["matched"] == 3
    assert result["content_exact"] == {"precision": 0.3333, "recall": 0.3333, "f1": 0.3333}
    assert result["content_overlap"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["source_accuracy"] == 0.5  # Smith right, "warned" is not Jones; no gold source for E3
    assert result["cue_accuracy"] == 1.0


def test_score_overlap_threshold_is_two_sided() -> None:
    gold = [GoldAttribution(content=(_at("The sky was blue"),))]
    # covers all gold tokens but gold is under half of the system span: no match
    long_sys = [SysAttribution(content=(0, len(TEXT)))]
    assert score([("d", TEXT, gold, long_sys)])["matched"] == 0
    half = [SysAttribution(content=_at("The sky"))]  # 2 of 4 gold tokens, all system tokens gold
    result = score([("d", TEXT, gold, half)])
    assert result["matched"] == 1
    assert result["content_exact"]["f1"] == 0.0
    assert result["content_overlap"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_score_one_to_one() -> None:
    gold = [GoldAttribution(content=(_at("that the plan would fail"),), source=(_at("Smith"),))]
    system = [
        SysAttribution(content=_at("that the plan would fail"), source=_at("Smith")),
        SysAttribution(content=_at("the plan would fail"), source=None),
    ]
    result = score([("d", TEXT, gold, system)])
    assert result["matched"] == 1
    assert result["content_overlap"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert result["source_accuracy"] == 1.0


def test_evaluate_polnear_on_synthetic_brat(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "doc1_ab12.ann").write_text(_ann(), encoding="utf-8")
    out = tmp_path / "sys.json"
    result = evaluate_polnear(tmp_path, system_out=out)
    # the system finds the two reported statements and not the unattributed sentence
    assert result["docs"] == 1 and result["gold"] == 3 and result["system"] == 2
    assert result["content_exact"] == {"precision": 0.5, "recall": 0.3333, "f1": 0.4}
    assert result["content_overlap"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8}
    assert result["source_accuracy"] == 1.0
    assert result["cue_accuracy"] == 1.0
    dump = json.loads(out.read_text())
    rows = dump["doc1"]
    assert [(r["content_start"], r["content_end"]) for r in rows] == [
        _at("that the plan would fail"),
        _at("that prices would rise sharply"),
    ]
    assert [(r["source_start"], r["source_end"]) for r in rows] == [_at("Smith"), _at("Jones")]
    assert [(r["cue_start"], r["cue_end"]) for r in rows] == [_at("said"), _at("warned")]


def test_evaluate_polnear_rejects_wrong_folder(tmp_path: Path) -> None:
    from storyline.errors import UsageError

    with pytest.raises(UsageError):
        evaluate_polnear(tmp_path)


@pytest.mark.shared
@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="needs ../shared PolNeAR data")
def test_polnear_dev_three_docs() -> None:
    result = evaluate_polnear(POLNEAR_DEV, limit=3)
    assert result["docs"] == 3
    assert result["gold"] > 0 and result["system"] > 0
    assert result["content_overlap"]["f1"] >= 0.4
    assert result["source_accuracy"] >= 0.6


QUOTE_TEXT = "“The plan will fail badly,” Smith said.\nJones warned that prices would rise sharply.\n"


def _quote_brat(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc1.txt").write_text(QUOTE_TEXT, encoding="utf-8")
    rows = [
        ("T1", "Content", "The plan will fail badly,"),
        ("T2", "Source", "Smith"),
        ("T3", "Cue", "said"),
        ("T4", "Source", "Jones"),
        ("T5", "Cue", "warned"),
        ("T6", "Content", "that prices would rise sharply"),
    ]
    lines = []
    for ident, label, sub in rows:
        a = QUOTE_TEXT.index(sub)
        lines.append(f"{ident}\t{label} {a} {a + len(sub)}\t{sub}")
    lines += [
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2",
        "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4",
    ]
    (tmp_path / "attributions" / "doc1_ab12.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_textacy_reference_scored_on_the_same_documents(tmp_path: Path) -> None:
    pytest.importorskip("textacy")
    from importlib.metadata import version

    result = evaluate_polnear(_quote_brat(tmp_path))
    assert result["content_overlap"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    ref = result[f"reference: textacy {version('textacy')} direct_quotations"]
    # textacy finds the direct quotation only, with its speaker and cue
    assert ref == {
        "content_exact": {"precision": 1.0, "recall": 0.5, "f1": 0.6667},
        "content_overlap": {"precision": 1.0, "recall": 0.5, "f1": 0.6667},
        "accuracy": {"source": 1.0, "cue": 1.0},
        "counts": {"system": 1, "matched": 1, "docs_refused": 0},
    }


def test_textacy_reference_refuses_an_unbalanced_document(tmp_path: Path) -> None:
    pytest.importorskip("textacy")
    base = _quote_brat(tmp_path)
    # an extra opening mark: textacy gives up on the whole document, storyline does not
    (base / "text" / "doc1.txt").write_text(QUOTE_TEXT.replace("Jones", "“Jones"), encoding="utf-8")
    result = evaluate_polnear(base)
    ref = next(v for k, v in result.items() if k.startswith("reference: textacy"))
    assert ref["counts"] == {"system": 0, "matched": 0, "docs_refused": 1}
    assert result["matched"] >= 1


def test_reference_none_and_textacy_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.errors import UsageError
    from storyline.eval import polnear

    base = _quote_brat(tmp_path)
    result = evaluate_polnear(base, reference="none")
    assert not any(k.startswith("reference") for k in result)
    monkeypatch.setattr(polnear, "_textacy_extractor", lambda: None)
    result = evaluate_polnear(base)
    assert result["reference"] == "textacy is not installed: skipped"
    with pytest.raises(UsageError) as info:
        evaluate_polnear(base, reference="spacy")
    assert str(info.value) == "[E401] unknown reference 'spacy': expected one of textacy, none"


def test_nested_attribution_cuts_the_outer_content() -> None:
    from storyline.eval.polnear import system_attributions

    # the statement finder keeps "while Trump … has said …" inside Merrill's content; PolNeAR nests nothing
    text = "Merrill says Machado is brave, while Trump, a rival, has said she would lose the race.\n"
    rows = [
        (text[a.content[0] : a.content[1]], text[a.cue[0] : a.cue[1]] if a.cue else None)
        for a in system_attributions(text)
    ]
    assert rows == [("Machado is brave", "says"), ("she would lose the race", "has said")]


def test_end_before_drops_a_dangling_conjunction() -> None:
    from storyline.eval.polnear import _end_before

    text = "Machado is brave, and Trump said"
    assert _end_before(text, 0, text.index("Trump")) == len("Machado is brave")
    assert _end_before(text, 0, 7) == 7


def test_a_punctuation_cue_agrees_by_characters() -> None:
    text = "“We will win.” ― Ann Lee\nHOST: Thank you all for coming tonight.\n"
    dash = text.index("―")
    colon = text.index(":")
    gold = [
        GoldAttribution(content=((1, 13),), cue=((dash, dash + 1),), source=((dash + 2, dash + 9),)),
        GoldAttribution(content=((colon + 2, len(text) - 1),), cue=((colon, colon + 1),)),
    ]
    right = [
        SysAttribution(content=(1, 13), cue=(dash, dash + 1), source=(dash + 2, dash + 9)),
        SysAttribution(content=(colon + 2, len(text) - 1), cue=(colon, colon + 1)),
    ]
    assert score([("d", text, gold, right)])["cue_accuracy"] == 1.0
    # a cue elsewhere (the closing mark before the dash; the label before the colon) does not agree
    wrong = [
        SysAttribution(content=(1, 13), cue=(13, 14), source=(dash + 2, dash + 9)),
        SysAttribution(content=(colon + 2, len(text) - 1), cue=(colon - 4, colon)),
    ]
    assert score([("d", text, gold, wrong)])["cue_accuracy"] == 0.0
