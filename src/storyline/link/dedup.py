"""Near-duplicates and syndication: the same wire text carried by several outlets.

:class:`SyndicationIndex` keeps one MinHash signature per article (word 5-gram shingles of the
normalized clean text, :data:`NUM_PERM` permutations, fixed :data:`SEED`) in LSH band tables: the
banding (``b`` bands of ``r`` values) is :class:`datasketch.MinHashLSH`'s for ``lsh_threshold``, a
bucket is the bytes of one band of the signature (so candidates are those of a ``MinHashLSH``
query). :meth:`SyndicationIndex.add`:

1. **exact duplicates**: the same normalized text (NFKC, case folded, ``\\w+`` words) has the same
   SHA-256; found by a dict lookup;
2. **candidates**: one LSH query (banding tuned for ``lsh_threshold``, lower than the verification
   thresholds so that trimmed copies are still found);
3. **verification** of each candidate by the estimated Jaccard similarity of the shingle sets
   (``>= jaccard_threshold``) *or* their estimated containment ``|A ∩ B| / min(|A|, |B|)``
   (``>= containment_threshold``, with the shorter text at least ``min_overlap_shingles`` shingles
   long) — an outlet that adds a paragraph or cuts the last ones still carries the wire copy;
4. verified pairs are joined in a union-find; a **syndication group** is a connected component and its
   **origin** is the earliest-published member (unknown dates sort last; ties: lowest id).

Thresholds were tuned on synthetic copies (400-word texts, 20 seeds each): random word substitutions in
1 / 2 / 3 % of the words give an estimated Jaccard of 0.90 / 0.83 / 0.75 and are all linked, 5 % gives
0.63 and is linked 4 times in 20; a copy keeping the first 70 / 50 / 30 % of the text is linked 20 / 18 / 5
times in 20 (the LSH banding, tuned for ``lsh_threshold``, is what misses the shortest ones). Unrelated
random texts produce no candidates at all.

**Bounded work per add.** A corpus with hundreds of near-copies of one text (a wire story carried
by every outlet, or a generated benchmark) fills the LSH buckets of its bands, and the candidates of
each new copy would grow with the store. Two bounds keep the work per add independent of it:

- a bucket keeps its latest ``max_bucket`` members (older ones leave it, not the index), so one query
  reads at most ``b x max_bucket`` ids;
- at most ``max_candidates`` candidates are verified: when more collide, those colliding in the most
  bands (the likeliest copies; ties: the lowest ids). They are verified at once, as numpy arrays of
  their signatures (the same arithmetic as one by one, so the same decisions).

Exact duplicates are joined through the lowest id with the same text (they are one group already),
and the origins before an add are read per joined group, not per member. Both tests are symmetric
and, as long as no bucket overflows and no article has more than ``max_candidates`` candidates,
every colliding pair is looked at when the later of the two is added, so the groups (and their
origins) do not depend on the insertion order: adding articles one by one gives the batch result.
Past the bounds an article can miss a copy that only collides in a full bucket's evicted part, or
beyond the verified candidates; it still meets the copies it collides with most. The work per add is
one LSH query plus at most ``max_candidates`` verifications in one numpy operation (and, when the
origin of a group changes, the members whose origin changed), never a scan of the index.
``candidates_examined`` counts the LSH candidates verified so far (tests assert on it instead of
timings).

State for the store: :meth:`SyndicationIndex.to_state` / :meth:`SyndicationIndex.from_state` (JSON-able;
signatures as base64 of the little-endian ``uint32`` hash values, ``numpy.ndarray.tobytes``) and
:meth:`SyndicationIndex.from_rows` (rebuild from stored rows, re-running the links);
:meth:`SyndicationIndex.to_arrays` / :meth:`SyndicationIndex.from_arrays` (numpy arrays, what
:mod:`storyline.link.state` stores) keep the groups as they are and only re-insert the signatures
into the LSH tables, without querying or verifying again.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from .packing import Arrays, StateMismatch, header, items, read_header, strings

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

__all__ = [
    "NUM_PERM",
    "SEED",
    "SHINGLE",
    "DupResult",
    "SignatureRow",
    "SyndicationIndex",
    "normalize_words",
    "shingles",
    "signature",
]

NUM_PERM = 128
SEED = 20251127
SHINGLE = 5
STATE_VERSION = 1  # of to_state (JSON)
ARRAYS_VERSION = 2  # of to_arrays (2: bounded buckets and candidates: groups decided under them)

_WORD = re.compile(r"\w+")
SCHEME = "affine32"
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def normalize_words(text: str) -> list[str]:
    """Words of ``text`` after NFKC and case folding (punctuation and whitespace never matter)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(words: Sequence[str], *, size: int = SHINGLE) -> set[bytes]:
    """Word ``size``-grams (a text shorter than ``size`` words is one shingle; empty text none)."""
    if not words:
        return set()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(shingle_set: Iterable[bytes]) -> np.ndarray:
    """MinHash hash values (``uint32``, :data:`NUM_PERM` of them) of a shingle set."""
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_TEMPLATE.permutations, scheme=SCHEME)
    mh.update_batch(list(shingle_set))
    return np.asarray(mh.hashvalues, dtype=np.uint32)


@dataclass(frozen=True, kw_only=True, slots=True)
class DupResult:
    """What :meth:`SyndicationIndex.add` found for one article.

    ``origin_id`` is the origin of the article's syndication group (possibly the article itself, when
    it is earlier than the copies already seen), or ``None`` when the article has no near-duplicate.
    ``match_id`` / ``similarity`` name the most similar verified article (similarity is the larger of
    estimated Jaccard and containment; 1.0 for an exact duplicate); ``exact`` says that some member has
    the same normalized text. ``relinked`` lists the other articles whose origin changed because of this
    add (the store updates them). ``candidates`` is the number of LSH candidates verified.
    """

    origin_id: str | None
    similarity: float = 0.0
    exact: bool = False
    match_id: str | None = None
    relinked: tuple[str, ...] = ()
    candidates: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class SignatureRow:
    """One stored article's dedup data (what the store keeps to rebuild the index)."""

    article_id: str
    hashvalues: bytes  # little-endian uint32 x NUM_PERM (numpy ``tobytes``)
    n_shingles: int
    text_hash: str
    published: str | None = None
    outlet: str | None = None


@dataclass(slots=True)
class _Entry:
    values: np.ndarray  # once indexed, a view of its row of the index's signature matrix
    n_shingles: int
    text_hash: str
    published: str | None
    outlet: str | None
    row: int = -1  # its row in that matrix (the order articles were indexed in)


def _order_key(article_id: str, published: str | None) -> tuple[bool, str, str]:
    return (published is None, published or "", article_id)


class SyndicationIndex:
    """Incremental near-duplicate index; see the module docstring."""

    def __init__(
        self,
        *,
        jaccard_threshold: float = 0.7,
        containment_threshold: float = 0.8,
        lsh_threshold: float = 0.4,
        min_overlap_shingles: int = 20,
        max_candidates: int = 256,
        max_bucket: int = 128,
    ) -> None:
        if max_candidates < 1 or max_bucket < 1:
            raise ValueError(
                f"max_candidates and max_bucket must be at least 1 (got {max_candidates}, {max_bucket})"
            )
        self.jaccard_threshold = jaccard_threshold
        self.containment_threshold = containment_threshold
        self.lsh_threshold = lsh_threshold
        self.min_overlap_shingles = min_overlap_shingles
        self.max_candidates = max_candidates
        self.max_bucket = max_bucket
        banding = MinHashLSH(threshold=lsh_threshold, num_perm=NUM_PERM)  # only its b x r banding
        self._ranges = [(int(start), int(end)) for start, end in banding.hashranges]
        self._bands: list[dict[bytes, list[str]]] = [{} for _ in self._ranges]
        self._entries: dict[str, _Entry] = {}
        # every signature as a row of one matrix (and the shingle counts), so the candidates of an
        # add are verified by one gather instead of stacking their arrays
        self._sig = np.zeros((0, NUM_PERM), dtype=np.uint32)
        self._nsh = np.zeros(0, dtype=np.float64)
        self._by_hash: dict[str, list[str]] = {}
        self._lowest: dict[str, str] = {}  # text hash -> lowest id with that normalized text
        self._parent: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}  # root -> members (groups of 2+ only)
        self._origin: dict[str, str] = {}  # root -> origin id
        self.candidates_examined = 0

    # -- queries -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def origin_of(self, article_id: str) -> str | None:
        """Origin of the article's group, ``None`` when it has no near-duplicate (or is unknown)."""
        if article_id not in self._entries:
            return None
        root = self._find(article_id)
        return self._origin.get(root)

    def group_of(self, article_id: str) -> tuple[str, ...]:
        """Members of the article's group, sorted (the article alone when it has no copies)."""
        if article_id not in self._entries:
            return ()
        root = self._find(article_id)
        return tuple(sorted(self._members.get(root, [article_id])))

    def groups(self) -> dict[str, tuple[str, ...]]:
        """``origin id -> sorted members`` for every group of two or more articles."""
        return {self._origin[root]: tuple(sorted(m)) for root, m in self._members.items()}

    def similarity(self, a: str, b: str) -> tuple[float, float]:
        """Estimated ``(jaccard, containment)`` of two indexed articles."""
        return self._similarity(self._entries[a], self._entries[b])

    # -- adding --------------------------------------------------------------------------------
    def add(
        self, article_id: str, text: str, *, published: str | None = None, outlet: str | None = None
    ) -> DupResult:
        """Index one article and link it to its near-duplicates (re-adding an id is a no-op query)."""
        if article_id in self._entries:
            return self._result_for(article_id, best=None, best_sim=0.0, relinked=(), candidates=0)
        words = normalize_words(text)
        sh = shingles(words)
        text_hash = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
        values = signature(sh)
        return self._add_entry(
            article_id,
            _Entry(
                values=values, n_shingles=len(sh), text_hash=text_hash, published=published, outlet=outlet
            ),
        )

    def add_row(self, row: SignatureRow) -> DupResult:
        """Index a stored row (no text needed)."""
        if row.article_id in self._entries:
            return self._result_for(row.article_id, best=None, best_sim=0.0, relinked=(), candidates=0)
        values = np.frombuffer(row.hashvalues, dtype="<u4").astype(np.uint32)
        if values.shape != (NUM_PERM,):
            raise ValueError(f"signature of {row.article_id!r} has {values.size} values, expected {NUM_PERM}")
        entry = _Entry(
            values=values,
            n_shingles=row.n_shingles,
            text_hash=row.text_hash,
            published=row.published,
            outlet=row.outlet,
        )
        return self._add_entry(row.article_id, entry)

    def _add_entry(self, article_id: str, entry: _Entry) -> DupResult:
        matches: list[tuple[str, float]] = []
        joined: dict[str, None] = {}  # roots of the groups this article joins (nothing is joined yet)
        # exact duplicates first: they are one group already, joined through the lowest id
        lowest = self._lowest.get(entry.text_hash)
        if lowest is not None and entry.n_shingles:
            matches.append((lowest, 1.0))
            joined[self._find(lowest)] = None
        candidates = 0
        if entry.n_shingles:
            keys = [entry.values[start:end].tobytes() for start, end in self._ranges]
            collisions: Counter[str] = Counter()
            for band, key in zip(self._bands, keys, strict=True):
                collisions.update(band.get(key, ()))
            # exact duplicates were joined above; past the cap, the most colliding bands first
            found = [o for o in collisions if self._entries[o].text_hash != entry.text_hash]
            if len(found) > self.max_candidates:
                found.sort(key=lambda o: (-collisions[o], o))
                del found[self.max_candidates :]
            found.sort()
            candidates = len(found)
            jac, cont = self._similarities(entry, found)
            verified = (jac >= self.jaccard_threshold) | (cont >= self.containment_threshold)
            for k in np.flatnonzero(verified).tolist():
                other = found[k]
                matches.append((other, max(float(jac[k]), float(cont[k]))))
                joined[self._find(other)] = None
            for band, key in zip(self._bands, keys, strict=True):
                self._put(band, key, article_id)
        self.candidates_examined += candidates
        self._keep(entry)
        self._entries[article_id] = entry
        self._by_hash.setdefault(entry.text_hash, []).append(article_id)
        if lowest is None or article_id < lowest:
            self._lowest[entry.text_hash] = article_id
        self._parent[article_id] = article_id

        relinked: list[str] = []
        if joined:
            # the group's origin after the joins; a joined group with another origin (or none: a
            # lone article) has its members relinked
            origin = min(
                [article_id, *(self._origin.get(r, r) for r in joined)],
                key=lambda i: _order_key(i, self._entries[i].published),
            )
            relinked = sorted(
                m for r in joined if self._origin.get(r) != origin for m in self._members.get(r, [r])
            )
            for r in joined:
                self._union(article_id, r)
        best, best_sim = None, 0.0
        for other, sim in matches:
            if sim > best_sim or (sim == best_sim and best is not None and other < best):
                best, best_sim = other, sim
        return self._result_for(
            article_id, best=best, best_sim=best_sim, relinked=tuple(relinked), candidates=candidates
        )

    def _result_for(
        self,
        article_id: str,
        *,
        best: str | None,
        best_sim: float,
        relinked: tuple[str, ...],
        candidates: int,
    ) -> DupResult:
        origin = self.origin_of(article_id)
        entry = self._entries[article_id]
        exact = len(self._by_hash.get(entry.text_hash, [])) > 1 and entry.n_shingles > 0
        return DupResult(
            origin_id=origin,
            similarity=round(best_sim, 4),
            exact=exact,
            match_id=best,
            relinked=relinked,
            candidates=candidates,
        )

    def _put(self, band: dict[bytes, list[str]], key: bytes, article_id: str) -> None:
        """Add to a bucket; a full one lets its oldest member go (a list: most buckets hold one id,
        and a list of one costs a tenth of a deque)."""
        bucket = band.get(key)
        if bucket is None:
            band[key] = [article_id]
            return
        bucket.append(article_id)
        if len(bucket) > self.max_bucket:
            del bucket[0]

    def _keep(self, entry: _Entry) -> None:
        """Put a new entry's signature in the next row of the signature matrix (grown by doubling;
        the entries' ``values`` then point to the new one) and make ``entry.values`` that row."""
        row = len(self._entries)
        if row == self._sig.shape[0]:
            sig = np.zeros((max(256, 2 * row), NUM_PERM), dtype=np.uint32)
            sig[:row] = self._sig[:row]
            nsh = np.zeros(sig.shape[0], dtype=np.float64)
            nsh[:row] = self._nsh[:row]
            self._sig, self._nsh = sig, nsh
            for e in self._entries.values():
                e.values = sig[e.row]
        self._sig[row] = entry.values
        self._nsh[row] = entry.n_shingles
        entry.row = row
        entry.values = self._sig[row]

    def _similarities(self, entry: _Entry, others: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_similarity` of ``entry`` with each of ``others`` (none an exact duplicate) at once:
        the same float operations on numpy arrays, so the same values."""
        if not others:
            return np.zeros(0), np.zeros(0)
        entries = self._entries
        rows = np.fromiter((entries[o].row for o in others), dtype=np.intp, count=len(others))
        same = np.count_nonzero(self._sig[rows] == entry.values, axis=1)
        jac = same / NUM_PERM
        n = self._nsh[rows]
        small = np.minimum(n, float(entry.n_shingles))
        inter = jac / (1.0 + jac) * (entry.n_shingles + n)
        ok = (jac > 0.0) & (small >= self.min_overlap_shingles)
        cont = np.where(ok, np.minimum(1.0, inter / np.where(ok, small, 1.0)), 0.0)
        return jac, cont

    def _similarity(self, a: _Entry, b: _Entry) -> tuple[float, float]:
        if a.text_hash == b.text_hash:
            return 1.0, 1.0
        jac = float(np.count_nonzero(a.values == b.values)) / NUM_PERM
        if jac <= 0.0:
            return 0.0, 0.0
        small = min(a.n_shingles, b.n_shingles)
        if small < self.min_overlap_shingles:
            return jac, 0.0
        inter = jac / (1.0 + jac) * (a.n_shingles + b.n_shingles)
        return jac, min(1.0, inter / small)

    # -- union-find ----------------------------------------------------------------------------
    def _find(self, x: str) -> str:
        parent = self._parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        ma = self._members.pop(ra, [ra])
        mb = self._members.pop(rb, [rb])
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        self._parent[rb] = ra
        ma.extend(mb)  # in place: the larger group's list grows, nothing is copied
        self._members[ra] = ma
        candidates = [self._origin.pop(r, r) for r in (ra, rb)]
        self._origin[ra] = min(candidates, key=lambda i: _order_key(i, self._entries[i].published))

    # -- state ---------------------------------------------------------------------------------
    def rows(self) -> list[SignatureRow]:
        """One row per indexed article, in insertion order."""
        return [
            SignatureRow(
                article_id=aid,
                hashvalues=e.values.astype("<u4").tobytes(),
                n_shingles=e.n_shingles,
                text_hash=e.text_hash,
                published=e.published,
                outlet=e.outlet,
            )
            for aid, e in self._entries.items()
        ]

    def settings(self) -> dict[str, Any]:
        """The thresholds: a state continues only under the same ones."""
        return self._params()

    def _params(self) -> dict[str, Any]:
        return {
            "jaccard_threshold": self.jaccard_threshold,
            "containment_threshold": self.containment_threshold,
            "lsh_threshold": self.lsh_threshold,
            "min_overlap_shingles": self.min_overlap_shingles,
            "max_candidates": self.max_candidates,
            "max_bucket": self.max_bucket,
        }

    def to_state(self) -> dict[str, Any]:
        """A JSON-able dict: parameters and one row per article (rebuilding re-runs the links)."""
        return {
            "version": STATE_VERSION,
            "num_perm": NUM_PERM,
            "seed": SEED,
            "shingle": SHINGLE,
            "params": self._params(),
            "rows": [
                {
                    "id": r.article_id,
                    "minhash": base64.b64encode(r.hashvalues).decode("ascii"),
                    "n_shingles": r.n_shingles,
                    "text_hash": r.text_hash,
                    "published": r.published,
                    "outlet": r.outlet,
                }
                for r in self.rows()
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SyndicationIndex:
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported syndication state version {state.get('version')!r}")
        if (state.get("num_perm"), state.get("seed"), state.get("shingle")) != (NUM_PERM, SEED, SHINGLE):
            raise ValueError("syndication state was built with other MinHash parameters; re-index the texts")
        rows = [
            SignatureRow(
                article_id=str(r["id"]),
                hashvalues=base64.b64decode(r["minhash"]),
                n_shingles=int(r["n_shingles"]),
                text_hash=str(r["text_hash"]),
                published=r.get("published"),
                outlet=r.get("outlet"),
            )
            for r in state["rows"]
        ]
        return cls.from_rows(rows, **state.get("params", {}))

    @classmethod
    def from_rows(cls, rows: Iterable[SignatureRow], **params: Any) -> SyndicationIndex:
        """Rebuild an index from stored rows (work proportional to the rows)."""
        index = cls(**params)
        for row in rows:
            index.add_row(row)
        return index

    def to_arrays(self) -> Arrays:
        """The whole index as flat arrays (signatures, union-find, groups and origins)."""
        ids = list(self._entries)
        entries = list(self._entries.values())
        roots = list(self._members)
        return {
            "header": header(
                {
                    "kind": "syndication",
                    "version": ARRAYS_VERSION,
                    "minhash": [NUM_PERM, SEED, SHINGLE, SCHEME],
                    "settings": self._params(),
                    "candidates_examined": self.candidates_examined,
                }
            ),
            "ids": strings(ids),
            "values": np.array([e.values for e in entries], dtype=np.uint32).reshape(len(ids), NUM_PERM),
            "n_shingles": np.array([e.n_shingles for e in entries], dtype=np.int64),
            "text_hash": strings(e.text_hash for e in entries),
            "published": strings(e.published or "" for e in entries),
            "has_published": np.array([e.published is not None for e in entries], dtype=np.bool_),
            "outlet": strings(e.outlet or "" for e in entries),
            "has_outlet": np.array([e.outlet is not None for e in entries], dtype=np.bool_),
            "parent": strings(self._parent[i] for i in ids),
            "roots": strings(roots),
            "origins": strings(self._origin[r] for r in roots),
            "member_counts": np.array([len(self._members[r]) for r in roots], dtype=np.int64),
            "members": strings(m for r in roots for m in self._members[r]),
        }

    @classmethod
    def from_arrays(cls, arrays: Arrays, *, settings: dict[str, Any] | None = None) -> SyndicationIndex:
        """The index :meth:`to_arrays` saved; :class:`StateMismatch` for another format version,
        other MinHash parameters, or other ``settings`` (when given)."""
        try:
            head = read_header(arrays["header"])
        except KeyError:
            raise StateMismatch("syndication state has no header") from None
        if head.get("kind") != "syndication" or head.get("version") != ARRAYS_VERSION:
            raise StateMismatch(
                f"syndication state version {head.get('version')!r} (this storyline reads {ARRAYS_VERSION})"
            )
        if head.get("minhash") != [NUM_PERM, SEED, SHINGLE, SCHEME]:
            raise StateMismatch("syndication state was built with other MinHash parameters")
        stored = dict(head["settings"])
        if settings is not None and stored != settings:
            raise StateMismatch("syndication state was built with other thresholds")
        index = cls(**stored)
        try:
            index._fill(head, arrays)
        except (KeyError, ValueError, TypeError) as exc:
            raise StateMismatch(f"syndication state is incomplete: {exc!r}") from exc
        return index

    def _fill(self, head: dict[str, Any], arrays: Arrays) -> None:
        self.candidates_examined = int(head["candidates_examined"])
        values = np.asarray(arrays["values"], dtype=np.uint32)
        rows = zip(
            items(arrays["ids"]),
            items(arrays["n_shingles"]),
            items(arrays["text_hash"]),
            items(arrays["published"]),
            items(arrays["has_published"]),
            items(arrays["outlet"]),
            items(arrays["has_outlet"]),
            items(arrays["parent"]),
            strict=True,
        )
        for i, (aid, n_sh, text_hash, published, has_pub, outlet, has_outlet, parent) in enumerate(rows):
            entry = _Entry(
                values=values[i],
                n_shingles=n_sh,
                text_hash=text_hash,
                published=published if has_pub else None,
                outlet=outlet if has_outlet else None,
            )
            self._keep(entry)
            self._entries[aid] = entry
            self._by_hash.setdefault(text_hash, []).append(aid)
            lowest = self._lowest.get(text_hash)
            if lowest is None or aid < lowest:
                self._lowest[text_hash] = aid
            self._parent[aid] = parent
        # the band tables, one band at a time: the bytes of each signature's slice are its bucket (in
        # insertion order, so a full bucket keeps the same latest members as when they were added)
        indexed = [i for i, e in enumerate(self._entries.values()) if e.n_shingles]
        ids = list(self._entries)
        for band, (start, end) in zip(self._bands, self._ranges, strict=True):
            block = np.ascontiguousarray(values[indexed, start:end])
            for key, i in zip(
                block.view(f"V{block.itemsize * (end - start)}").ravel().tolist(), indexed, strict=True
            ):
                self._put(band, key, ids[i])
        members = items(arrays["members"])
        pos = 0
        for root, origin, n in zip(
            items(arrays["roots"]),
            items(arrays["origins"]),
            items(arrays["member_counts"]),
            strict=True,
        ):
            self._members[root] = members[pos : pos + n]
            self._origin[root] = origin
            pos += n
