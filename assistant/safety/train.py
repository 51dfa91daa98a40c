"""Train the learned layer of the triage from the corpus: `make train-safety` (python -m assistant.safety.train).

1. Load the corpus and its split by family (corpus.py). Only the train split is learned from; thresholds are
   chosen on dev; the test split is read once, at the end, for the report.
2. Learn a weight per word (a logistic regression over words, escalate or not) that picks what a long
   message's model window keeps (classifier.Classifier.window).
3. Embed every message with the encoder cut to `--layers` layers (a multi-turn message is read with its
   earlier turns, as the triage does) and count its word and character n-grams (TF-IDF). Fit the class head
   (emergency, crisis, ok) over both, a category head over the embedding, and an "about someone else" head.
4. Choose the threshold on dev: the highest at which rules and model together keep dev recall at `--recall`
   (99 %); near misses are scores from `--near` (half) of the threshold up.
5. Write model/safety-head.npz and model/report.json: the two layers together on dev and on test, by
   language, category and style, with the confusion matrix and every miss and false alarm (docs/safety.md).

Reproducible: the same corpus and arguments give the same model (fixed seeds, deterministic solvers).
Embeddings are cached in .cache/ by text, so a second run takes seconds.
"""

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from . import corpus as corpus_mod
from .classifier import MODEL_PATH, Classifier, Encoder, Scores, context_text, denies, reads_context
from .triage import asks_about_a_subject, decide, triage

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "safety"
REPORT_PATH = MODEL_PATH.parent / "report.json"
WORDS_PATTERN = r"\w+"  # what a word is, for scikit-learn's vectorizers (as classifier.Ngrams reads them)


def model_input(example: corpus_mod.Example) -> str:
    """What the classifier reads for a corpus message: read with its earlier turns when the triage would."""
    if reads_context(example.message, example.history):
        return context_text(example.message, example.history)
    return example.message


def fit_lexicon(examples: list[corpus_mod.Example], limit: int = 4000) -> tuple[list[str], list[float]]:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [model_input(e) for e in examples]
    y = [e.escalates for e in examples]
    vec = CountVectorizer(binary=True, token_pattern=WORDS_PATTERN, min_df=2)
    X = vec.fit_transform(texts)
    model = LogisticRegression(C=1.0, max_iter=3000).fit(X, y)
    words = vec.get_feature_names_out()
    order = np.argsort(-model.coef_[0])[:limit]
    keep = [(str(words[i]), round(float(model.coef_[0][i]), 4)) for i in order if model.coef_[0][i] > 0]
    return [w for w, _ in keep], [v for _, v in keep]


class CachedEncoder:
    """The encoder, with every embedding kept on disk by (layers, text)."""

    def __init__(self, layers: int, threads: int):
        self.encoder = Encoder(layers, threads=threads)
        self.path = CACHE / f"embeddings-{layers}.npz"
        self.cache: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path, allow_pickle=False) as data:
                self.cache = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def tokens(self, text: str) -> int:
        return self.encoder.tokens(text)

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        todo = sorted({(k, t) for k, t in zip(keys, texts, strict=True) if k not in self.cache})
        for start in range(0, len(todo), 256):
            batch = todo[start : start + 256]
            vectors = np.atleast_2d(self.encoder.model.query([t for _, t in batch]))
            self.cache.update({k: v for (k, _), v in zip(batch, vectors, strict=True)})
        return np.stack([self.cache[k] for k in keys])

    def save(self) -> None:
        CACHE.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.cache)
        np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.cache[k] for k in keys]))


CASE_FILES = ROOT / "tests" / "safety"
SERIOUS = ("emergency", "crisis")


def case_files() -> list[tuple[str, str, tuple, str]]:
    """The earlier hand-written case files (tests/safety/*.txt: `class | category | message`, earlier user
    turns before ` >> `) as (file, class, history, message). Each must keep 100 % recall and at most 3 % false
    alarms (tests/safety/test_triage.py)."""
    out = []
    for path in sorted(CASE_FILES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                cls, _category, message = (p.strip() for p in line.split(" | ", 2))
                turns = [t.strip() for t in message.split(" >> ")]
                out.append((path.name, cls, tuple(("user", t) for t in turns[:-1]), turns[-1]))
    return out


def case_files_hold(verdicts: list[tuple[str, str, bool]]) -> bool:
    """(file, class, escalated) for every case: every file catches all its emergencies and crises and raises
    false alarms on at most 3 % of its benign cases."""
    for name in {v[0] for v in verdicts}:
        rows = [(cls, fired) for f, cls, fired in verdicts if f == name]
        benign = [fired for cls, fired in rows if cls not in SERIOUS]
        if not all(fired for cls, fired in rows if cls in SERIOUS) or sum(benign) > 0.03 * len(benign):
            return False
    return True


def evaluate(examples: list[corpus_mod.Example], verdicts: list[tuple[str, str, float]]) -> dict:
    """Recall and false alarms of the two layers together, by language, category and style; the confusion
    matrix; every miss and false alarm."""
    out: dict[str, Any] = {"n": len(examples), "by": defaultdict(lambda: [0, 0]), "confusion": Counter(),
                           "misses": [], "false_alarms": []}  # fmt: skip
    for e, (cls, layer, score) in zip(examples, verdicts, strict=True):
        out["confusion"][f"{e.cls}->{cls}"] += 1
        hit = (cls != "ok") if e.escalates else (cls == "ok")
        kind = e.cls if e.escalates else "ok"
        for key in (f"{e.lang}:{kind}", f"{e.lang}:{e.cls}:{e.category}", f"{e.lang}:style:{e.style}:{kind}"):
            out["by"][key][0] += hit
            out["by"][key][1] += 1
        record = {"family": e.family, "category": e.category, "style": e.style,
                  "message": " >> ".join([*(t for _, t in e.history), e.message])[-400:],
                  "score": round(float(score), 3), "layer": layer}  # fmt: skip
        if e.escalates and cls == "ok":
            out["misses"].append(record)
        if not e.escalates and cls != "ok":
            out["false_alarms"].append(record)
    out["by"] = dict(sorted(out["by"].items()))
    out["confusion"] = dict(sorted(out["confusion"].items()))
    return out


def scope_rows(examples: list[corpus_mod.Example]) -> list:
    """The "about health?" head's messages: the library's scope files, and the safety corpus's single everyday
    messages (ordinary and chronic-care questions are about health; not_health ones are not), each in its split."""
    from assistant.library import scope

    rows = scope.load()
    kinds = {"ordinary": "health", "chronic_care": "health", "symptom": "health", "not_health": "other"}
    rows += [scope.Row(e.family, e.lang, kinds[e.category], e.message, e.split)
             for e in examples if e.cls == "ok" and e.category in kinds and not e.history]  # fmt: skip
    return rows


def fit_scope(
    examples: list[corpus_mod.Example], embed: Callable[[list[str]], np.ndarray], recall: float
) -> tuple[dict, dict]:
    """Fit P(about health) over the embedding of the message alone (what classifier.Classifier.score reads
    first). The threshold is the highest at which `recall` of dev's health messages, in each language, stay
    above it: a health question found not about health would be declined."""
    from sklearn.linear_model import LogisticRegression

    rows = scope_rows(examples)
    train = [r for r in rows if r.split == corpus_mod.TRAIN]
    model = LogisticRegression(C=4.0, max_iter=5000).fit(embed([r.message for r in train]), [r.health for r in train])
    w, b = model.coef_[0].astype(np.float32), np.float32(model.intercept_[0])

    def probabilities(split: str) -> list[tuple[object, float]]:
        chosen = [r for r in rows if r.split == split]
        p = 1 / (1 + np.exp(-(embed([r.message for r in chosen]) @ w + b)))
        return list(zip(chosen, p.tolist(), strict=True))

    dev, test = probabilities(corpus_mod.DEV), probabilities(corpus_mod.TEST)
    grid = [round(float(t), 3) for t in np.arange(0.01, 0.51, 0.01)]

    def kept(scored: list, lang: str, t: float) -> float:
        health = [p for r, p in scored if r.health and r.lang == lang]
        return sum(p >= t for p in health) / max(1, len(health))

    threshold = max((t for t in grid if all(kept(dev, lang, t) >= recall for lang in ("en", "es"))), default=0.0)

    def measured(scored: list) -> dict:
        out = {}
        for lang in ("en", "es"):
            health = [(r, p) for r, p in scored if r.lang == lang and r.health]
            other = [(r, p) for r, p in scored if r.lang == lang and not r.health]
            out[lang] = {
                "health_kept": [int(sum(p >= threshold for _, p in health)), len(health)],
                "other_caught": [int(sum(p < threshold for _, p in other)), len(other)],
                "health_declined": sorted(r.message for r, p in health if p < threshold),
                "other_missed": sorted(r.message for r, p in other if p >= threshold),
            }
        return out

    report = {"threshold": threshold, "recall": recall, "rows": {"train": len(train), "dev": len(dev),
              "test": len(test)}, "dev": measured(dev), "test": measured(test)}  # fmt: skip
    return {"health_W": w, "health_b": b}, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=6, help="encoder layers to run (of 12)")
    parser.add_argument("--max-tokens", type=int, default=48, help="what the model reads of one message")
    parser.add_argument("--context-tokens", type=int, default=32, help="of a message read with its earlier turns")
    parser.add_argument("--C", type=float, default=8.0, help="inverse regularisation of the class head")
    parser.add_argument("--emb-scale", type=float, default=2.0, help="weight of the embedding beside the n-grams")
    parser.add_argument("--class-weight", default="", help='"balanced" weighs the three classes equally')
    parser.add_argument("--word-features", type=int, default=30000)
    parser.add_argument("--char-features", type=int, default=40000)
    parser.add_argument("--recall", type=float, default=0.99, help="the dev recall the report looks for on its curve")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="a single message escalates from this score (default: chosen on the dev curve, see below)",
    )
    parser.add_argument("--context-threshold", type=float, default=None, help="the same, read with earlier turns")
    parser.add_argument("--alone", type=float, default=0.95, help="alone in context, or one or two words")
    parser.add_argument(
        "--education", type=float, default=0.5, help="a first message asking about a subject, at the least"
    )
    parser.add_argument("--near", type=float, default=0.5, help="near misses: from this share of the threshold")
    parser.add_argument(
        "--scope-recall", type=float, default=0.995, help="dev health messages the about-health head keeps"
    )
    parser.add_argument("--threads", type=int, default=0, help="encoder threads while training (0: all)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--no-write", action="store_true", help="report only (for trying settings)")
    parser.add_argument(
        "--without-train-only", action="store_true", help="leave out the train-only files (to measure what they add)"
    )
    args = parser.parse_args(argv)
    started = time.time()

    examples = corpus_mod.load()
    # Follow-ups that close an escalation (category follow_up) are measured, not learned: trained on, they
    # taught the head that an emergency read with a later turn can be nothing, and it lost 8 test-split
    # escalations, most of them follow-ups that delay care (docs/safety.md). rules.care_under_way clears them.
    train = [e for e in examples if e.split == corpus_mod.TRAIN and e.category != "follow_up"]
    if args.without_train_only:
        train = [e for e in train if not e.source.startswith(corpus_mod.TRAIN_ONLY)]
    dev = [e for e in examples if e.split == corpus_mod.DEV]
    test = [e for e in examples if e.split == corpus_mod.TEST]
    print(f"corpus: {len(examples)} messages; train {len(train)}, dev {len(dev)}, test {len(test)}")

    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from . import rules

    words, weights = fit_lexicon(train)
    encoder = CachedEncoder(args.layers, threads=args.threads or (os.cpu_count() or 1))
    meta = {"layers": args.layers, "max_tokens": args.max_tokens, "context_tokens": args.context_tokens,
            "C": args.C, "emb_scale": args.emb_scale,
            "class_weight": args.class_weight,
            "dev_recall_target": args.recall}  # fmt: skip
    windower = Classifier.__new__(Classifier)  # only its window(), with this run's lexicon and encoder
    windower.word_weight = dict(zip(words, weights, strict=True))
    windower.max_tokens, windower.encoder = args.max_tokens, encoder

    def embed_rows(rows: list[corpus_mod.Example]) -> np.ndarray:
        """Each message as the classifier reads it: alone, or (with turns before it) joined with them, within
        the joined view's own token budget."""
        budgets = [args.context_tokens if reads_context(e.message, e.history) else args.max_tokens for e in rows]
        return encoder.embed([windower.window(model_input(e), b) for e, b in zip(rows, budgets, strict=True)])

    def inputs(rows: list[corpus_mod.Example]) -> list[str]:
        return [model_input(e) for e in rows]

    X_train = embed_rows(train)
    word_vec = TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True, token_pattern=WORDS_PATTERN,
                               max_features=args.word_features, dtype=np.float32)  # fmt: skip
    char_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                               max_features=args.char_features, dtype=np.float32)  # fmt: skip
    normalised = [rules.normalise(t) for t in inputs(train)]
    word_vec.fit(normalised)
    char_vec.fit(normalised)

    def features(texts: list[str], X: np.ndarray, denial: list[bool]) -> sparse.csr_matrix:
        """The class head's columns: n-grams, the embedding, the embedding of a denial read with its question
        (zero otherwise), that flag. classifier.Classifier.class_probabilities reads them in this order."""
        n = [rules.normalise(t) for t in texts]
        d = np.array(denial, dtype=np.float32)[:, None]
        e = X * args.emb_scale
        parts = [word_vec.transform(n), char_vec.transform(n), sparse.csr_matrix(e), sparse.csr_matrix(e * d)]
        return sparse.hstack([*parts, sparse.csr_matrix(d)]).tocsr()

    head_model = LogisticRegression(C=args.C, max_iter=8000, class_weight=args.class_weight or None)
    head_model.fit(features(inputs(train), X_train, [denies(e.message, e.history) for e in train]),
                   [e.cls for e in train])  # fmt: skip
    classes = [str(c) for c in head_model.classes_]
    serious = [i for i, e in enumerate(train) if e.escalates]
    category_model = LogisticRegression(C=16.0, max_iter=5000, class_weight="balanced")
    category_model.fit(X_train[serious], [f"{train[i].cls}/{train[i].category}" for i in serious])
    people = [i for i, e in enumerate(train) if e.style in ("plain", "third_person") and e.escalates]
    other = LogisticRegression(C=4.0, max_iter=3000).fit(
        X_train[people], [train[i].style == "third_person" for i in people]
    )
    health_head, scope_report = fit_scope(examples, lambda texts: encoder.embed(
        [windower.window(t, args.max_tokens) for t in texts]), args.scope_recall)  # fmt: skip
    head = {
        **health_head,
        "lexicon_words": np.array(words),
        "lexicon_weights": np.array(weights, dtype=np.float32),
        "classes": np.array(classes),
        "W": head_model.coef_.astype(np.float32),
        "b": head_model.intercept_.astype(np.float32),
        "labels": np.array([str(c) for c in category_model.classes_]),
        "Wc": category_model.coef_.astype(np.float32),
        "bc": category_model.intercept_.astype(np.float32),
        "other_W": other.coef_[0].astype(np.float32),
        "other_b": np.float32(other.intercept_[0]),
        "words": word_vec.get_feature_names_out().astype(str),
        "word_idf": word_vec.idf_.astype(np.float32),
        "chars": char_vec.get_feature_names_out().astype(str),
        "char_idf": char_vec.idf_.astype(np.float32),
    }

    # The dev curve, through the classifier exactly as the server runs it, and the thresholds.
    meta["thresholds"] = {"escalate": 0.5, "context": 0.5, "alone": args.alone, "near_miss": 0.25}
    model = Classifier({**head, "meta": np.array(json.dumps(meta))}, encoder=encoder)
    dev_scores = [model.score(e.message, e.history) for e in dev]
    dev_education = [asks_about_a_subject(e.message, e.history, rules.detect_language(e.message)) for e in dev]
    encoder.save()
    ruled = np.array([rules.match(e.message, list(e.history)).escalates for e in dev])
    positive = np.array([e.escalates for e in dev])
    english = np.array([e.lang == "en" for e in dev])

    def fired(s: Scores, ruled_it: bool | np.bool, education: bool, t: float, tc: float) -> bool:
        """Either layer, as triage.py decides, at thresholds (t, tc) and the committed "alone" and "education"
        ones."""
        at = {"escalate": t, "context": tc, "alone": args.alone, "education": args.education}
        return bool(ruled_it) or bool(decide(s, at, education))

    def fires(t: float, tc: float) -> np.ndarray:
        return np.array([fired(*row, t, tc) for row in zip(dev_scores, ruled, dev_education, strict=True)])

    cases = [(name, cls, model.score(message, history), rules.match(message, list(history)).escalates,
              asks_about_a_subject(message, history, rules.detect_language(message)))
             for name, cls, history, message in case_files()]  # fmt: skip

    def fires_on_cases(t: float, tc: float) -> list[tuple[str, str, bool]]:
        return [(name, cls, fired(s, r, edu, t, tc)) for name, cls, s, r, edu in cases]

    curve = []
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7):
        for tc in sorted({t, 0.4, 0.5, 0.6, 0.75, 0.9}):
            f = fires(t, tc)
            row = {"escalate": t, "context": tc}
            for lang, mask in (("en", english), ("es", ~english)):
                row[f"{lang}_recall"] = round(float(f[mask & positive].mean()), 4)
                row[f"{lang}_false_alarms"] = round(float(f[mask & ~positive].mean()), 4)
            row["case_files_hold"] = case_files_hold(fires_on_cases(t, tc))
            curve.append(row)
    holding = [c for c in curve if c["case_files_hold"]]
    chosen = max(holding, key=lambda c: (min(c["en_recall"], c["es_recall"]),
                                         -(c["en_false_alarms"] + c["es_false_alarms"])))  # fmt: skip
    if args.threshold is None:
        args.threshold, args.context_threshold = chosen["escalate"], chosen["context"]
    elif args.context_threshold is None:
        args.context_threshold = args.threshold
    at_target = [c for c in curve if min(c["en_recall"], c["es_recall"]) >= args.recall]
    thresholds = {"escalate": args.threshold, "context": args.context_threshold, "alone": args.alone,
                  "education": args.education, "near_miss": round(args.threshold * args.near, 4)}  # fmt: skip
    thresholds["health"] = scope_report["threshold"]
    meta["thresholds"] = thresholds
    head["meta"] = np.array(json.dumps(meta))
    model = Classifier(head, encoder=encoder)

    def verdicts(rows: list[corpus_mod.Example]) -> list[tuple[str, str, float]]:
        out = []
        for e in rows:
            found = triage(e.message, list(e.history), model=model)
            score = (found.scores or {}).get("emergency", 0) + (found.scores or {}).get("crisis", 0)
            out.append((found.cls if found.escalates else "ok", found.layer, score))
        return out

    report: dict[str, Any] = {
        "meta": meta,
        "corpus": {
            "messages": len(examples),
            "train": len(train),
            "dev": len(dev),
            "test": len(test),
            "families": len({e.family for e in examples}),
        },
        "dev_curve": curve,
        "dev_lowest_false_alarms_at_target_recall": min(
            at_target, key=lambda c: c["en_false_alarms"] + c["es_false_alarms"], default=None
        ),
        "dev": evaluate(dev, verdicts(dev)),
        "test": evaluate(test, verdicts(test)),
        "scope": scope_report,
    }
    encoder.save()
    for split in ("dev", "test"):
        r = report[split]
        print(f"{split}: {len(r['misses'])} misses, {len(r['false_alarms'])} false alarms; " + ", ".join(
            f"{k} {v[0]}/{v[1]}" for k, v in r["by"].items() if k.count(":") == 1))  # fmt: skip
    print("about health: " + "; ".join(
        f"{split} {lang}: health kept {r['health_kept']}, other caught {r['other_caught']}"
        for split in ("dev", "test") for lang, r in scope_report[split].items()))  # fmt: skip
    print(f"thresholds {thresholds}; {time.time() - started:.0f} s")
    if args.no_write:
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **head)
    report_path = REPORT_PATH if args.out == MODEL_PATH else args.out.with_suffix(".json")  # a trial's beside it
    report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} and {report_path}")
    return 0


def markdown(report: dict) -> str:
    """The test split's figures as Markdown tables, for docs/safety.md and docs/safety-errors.md."""
    test, by = report["test"], report["test"]["by"]
    lines = ["| language | emergency recall | crisis recall | false alarms (benign) |", "| --- | --- | --- | --- |"]

    def cell(key: str) -> str:
        hit, n = by.get(key, (0, 0))
        return f"{hit}/{n} = {hit / n:.1%}" if n else "-"

    def alarm(key: str) -> str:
        hit, n = by.get(key, (0, 0))
        return f"{n - hit}/{n} = {(n - hit) / n:.1%}" if n else "-"

    for lang in ("en", "es"):
        lines.append(f"| {lang} | {cell(f'{lang}:emergency')} | {cell(f'{lang}:crisis')} | {alarm(f'{lang}:ok')} |")
    lines += [
        "",
        "| language | style | emergency recall | crisis recall | false alarms |",
        "| --- | --- | --- | --- | --- |",
    ]
    for lang in ("en", "es"):
        for style in corpus_mod.STYLES:
            k = f"{lang}:style:{style}"
            lines.append(
                f"| {lang} | {style} | {cell(k + ':emergency')} | {cell(k + ':crisis')} | {alarm(k + ':ok')} |"
            )
    lines += ["", "| language | class | category | caught (or, for ok: not escalated) |", "| --- | --- | --- | --- |"]
    for key, (hit, n) in by.items():
        parts = key.split(":")
        if len(parts) == 3 and parts[1] != "style":
            lines.append(f"| {parts[0]} | {parts[1]} | {parts[2]} | {hit}/{n} = {hit / n:.0%} |")
    lines += ["", "| true class → triage | count |", "| --- | --- |"]
    lines += [f"| {k.replace('->', ' → ')} | {v} |" for k, v in test["confusion"].items()]
    return "\n".join(lines)


def errors_markdown(report: dict) -> str:
    test = report["test"]
    out = [
        "## Misses on the test split",
        "",
        "| family | category | style | score | message |",
        "| --- | --- | --- | --- | --- |",
    ]
    out += [f"| {m['family']} | {m['category']} | {m['style']} | {m['score']} | {m['message'].replace('|', '/')} |"
            for m in test["misses"]]  # fmt: skip
    out += ["", "## False alarms on the test split", "", "| family | category | style | layer | score | message |",
            "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    out += [f"| {m['family']} | {m['category']} | {m['style']} | {m['layer']} | {m['score']} | "
            f"{m['message'].replace('|', '/')} |" for m in test["false_alarms"]]  # fmt: skip
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
