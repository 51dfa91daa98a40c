"""Is a message about health? The scope files and their split, the head in the committed model and its figures
on the test split (never used for training or the threshold), and what the triage does with it."""

import json
from collections import Counter

import numpy as np
import pytest

from assistant.library import scope
from assistant.safety import OK, OUT_OF_SCOPE
from assistant.safety.classifier import MODEL_PATH, Classifier
from assistant.safety.triage import classifier, triage

REPORT = json.loads((MODEL_PATH.parent / "report.json").read_text(encoding="utf-8"))["scope"]
# Floors on the test split: what the committed model measured, with a little room for the encoder's arithmetic
# on another CPU (docs/library.md).
HEALTH_KEPT_FLOOR = 0.98
OTHER_CAUGHT_FLOOR = {"en": 0.47, "es": 0.44}


def test_the_scope_files_are_bilingual_labelled_and_split_by_family():
    rows = scope.load()
    assert len(rows) >= 2000
    assert {r.lang for r in rows} == {"en", "es"} and {r.label for r in rows} == set(scope.LABELS)
    split_of = {}
    for r in rows:
        assert split_of.setdefault(r.family, r.split) == r.split
    counts = Counter((r.lang, r.label, r.split) for r in rows)
    assert all(counts[lang, label, split] > 0 for lang in ("en", "es") for label in scope.LABELS
               for split in ("train", "dev", "test"))  # fmt: skip


def test_a_bad_scope_file_is_refused(tmp_path):
    (tmp_path / "x.txt").write_text("@ en-x-01 | maybe\nhello\n", encoding="utf-8")
    with pytest.raises(scope.ScopeFileError, match=r"health\|other"):
        scope.load(tmp_path)
    (tmp_path / "x.txt").write_text("no header\n", encoding="utf-8")
    with pytest.raises(scope.ScopeFileError, match="before any family header"):
        scope.load(tmp_path)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_on_the_test_split_health_is_kept_and_other_subjects_are_told_apart(lang):
    measured = REPORT["test"][lang]
    kept, health = measured["health_kept"]
    caught, other = measured["other_caught"]
    print(f"{lang}: health kept {kept}/{health}, other caught {caught}/{other}")
    assert health >= 100 and other >= 100
    assert kept / health >= HEALTH_KEPT_FLOOR, measured["health_declined"]
    assert caught / other >= OTHER_CAUGHT_FLOOR[lang], measured["other_missed"][:20]


@pytest.mark.parametrize(
    "message",
    [
        "how do i change the oil in my car",
        "golf tips to fix my slice off the tee",
        "cómo cambio la llanta de mi carro",
        "receta fácil de arroz con leche",
    ],
)
def test_a_first_message_about_something_else_is_out_of_scope(message):
    found = triage(message, [])
    assert found.cls == OUT_OF_SCOPE and found.category == "non_medical", found.scores
    assert found.scores["health"] < classifier().thresholds["health"]


@pytest.mark.parametrize(
    "message",
    [
        "my knee hurts when i go down the stairs",
        "how long does a cold usually last",
        "me duele la rodilla al bajar escaleras",
        "¿cuánto dura una gripa normalmente?",
    ],
)
def test_a_health_question_is_not(message):
    found = triage(message, [])
    assert found.cls == OK and found.scores["health"] >= classifier().thresholds["health"]


def test_later_in_a_thread_a_short_message_leans_on_what_came_before():
    history = [("user", "what helps a sore throat"), ("assistant", "Warm drinks and honey soothe it. Anything else?")]
    assert triage("what about my car", history).cls == OK  # too short to be a question of its own
    assert triage("how do i change the oil in my car this weekend", history).cls == OUT_OF_SCOPE


def test_a_model_without_the_head_leaves_scope_to_the_rules():
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        head = {key: data[key] for key in data.files if key not in ("health_W", "health_b")}
    older = Classifier(head, encoder=classifier().encoder)
    found = triage("how do i change the oil in my car", [], model=older)
    assert found.cls == OK and "health" not in found.scores


@pytest.mark.django_db
def test_a_turn_out_of_scope_looks_nothing_up_and_is_declined_offline_in_its_language():
    from accounts.identity import Identity
    from assistant.providers.offline import DECLINED_ES, compose
    from assistant.turns import begin_turn
    from conversations import actions

    thread = actions.create_thread(Identity())
    turn = begin_turn(Identity(), thread, "¿en qué año salió la película de terror más famosa?", provider="offline",
                      model="library")  # fmt: skip
    assert turn.safety.cls == OUT_OF_SCOPE and turn.safety.lang == "es"
    assert turn.grounding.hits == [] and not turn.grounding.medical and turn.reply.sources == []
    assert compose(turn.grounding) == DECLINED_ES
