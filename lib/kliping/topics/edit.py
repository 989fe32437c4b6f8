"""Topics a newsroom names and merges: an edit of a run's topics, checked, planned and applied to its model.

``kliping topics OUT --rename 0="Sepak bola" --merge 1,2`` and :meth:`kliping.topics.model.TopicModel.rename` /
:meth:`~kliping.topics.model.TopicModel.merge` share what is here:

* :func:`plan_edit` checks an edit against the topics it is for (topic numbers, labels) and says where every topic
  goes. Topic numbers are the run's numbers *before* the edit, for renames and merges alike. A merged topic takes
  the lowest number of its members; the topics after it move down to close the gaps, in their order.
* :func:`edit_model` applies a plan to a model: a merged topic gets one label and one set of words
  (:func:`merged_words`; a run's edit takes the words of its articles as one topic) and keeps its members'
  centres, each now placing articles in it; a renamed topic keeps its words and centre. The edit is kept in the
  model's ``edits``, which ``model.json`` and ``metrics.json`` carry.

  Why the members' centres and not one: a merged topic is then exactly the union of its members, for the run's
  files and for ``kliping assign`` alike, and no other topic changes. One centre (the members' centres averaged,
  weighted by size) moved 22 of the 120 articles of two merged topics to other topics on 400 CLICK-ID articles
  (k = 8, seed 0, ``--merge 1,2``), and 4 of them into a topic that was only renamed.

Examples
--------
>>> plan = plan_edit(["gol · laga", "banjir · rob", "hujan · banjir", "saham · bank"], {0: "Sepak bola"}, [[1, 2]])
>>> plan.new_topic, plan.k
([0, 1, 1, 2], 3)
>>> plan_edit(["a", "b"], {5: "Lima"}, [])
Traceback (most recent call last):
kliping.topics.edit.EditError: --rename 5=...: there is no topic 5 (the run has topics 0 to 1)
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np

from kliping.config import SettingError
from kliping.topics.results import RunResult

#: The longest label a topic may be given (a label is a name, not a description).
MAX_LABEL_CHARS = 80


class EditError(SettingError):
    """An edit that cannot be made: a topic that does not exist, a bad label, a topic merged twice (one line)."""


@dataclass
class EditPlan:
    """Where every topic goes and which labels are set.

    Attributes
    ----------
    new_topic : list of int
        The number after the edit of every topic before it.
    rename : dict
        Topic before the edit -> its new label.
    merge : list of list of int
        The groups merged (topic numbers before the edit, sorted).
    labels_before : list of str
        The labels of the topics the edit is for (a report rendered again checks it has the same topics).
    """

    new_topic: list
    rename: dict
    merge: list
    labels_before: list

    @property
    def k(self) -> int:
        return max(self.new_topic, default=-1) + 1

    def members(self, topic: int) -> list[int]:
        """The topics before the edit that make up ``topic`` after it."""
        return [old for old, new in enumerate(self.new_topic) if new == topic]

    def label_of(self, topic: int) -> str | None:
        """The label given to ``topic`` (after the edit), or None when it keeps or gets its words' label."""
        given = [self.rename[old] for old in self.members(topic) if old in self.rename]
        return given[0] if given else None

    def record(self, run_id: str | None = None) -> dict:
        """The edit as ``metrics.json`` and ``model.json`` keep it (plain JSON)."""
        return {
            "rename": {str(t): label for t, label in sorted(self.rename.items())},
            "merge": [list(group) for group in self.merge],
            "topics_before": list(self.labels_before),
            "edited_run_id": run_id,
            "at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        }


def parse_rename(text: str) -> tuple[int, str]:
    """``N=LABEL`` as given to ``--rename``.

    Examples
    --------
    >>> parse_rename('0=Sepak bola'), parse_rename(' 3 = Banjir & rob ')
    ((0, 'Sepak bola'), (3, 'Banjir & rob'))
    >>> parse_rename("Sepak bola")
    Traceback (most recent call last):
    kliping.topics.edit.EditError: --rename 'Sepak bola': write it as N=LABEL, e.g. --rename 0="Sepak bola"
    """
    number, sep, label = str(text).partition("=")
    if not sep:
        raise EditError(f'--rename {text!r}: write it as N=LABEL, e.g. --rename 0="Sepak bola"')
    return _topic_number(number, f"--rename {text!r}"), label.strip()


def parse_merge(text: str) -> list[int]:
    """``N,M[,…]`` as given to ``--merge``.

    Examples
    --------
    >>> parse_merge("1, 2,5")
    [1, 2, 5]
    >>> parse_merge("1;2")
    Traceback (most recent call last):
    kliping.topics.edit.EditError: --merge '1;2': '1;2' is not a topic number (write them as N,M: --merge 1,2)
    """
    return [
        _topic_number(part, f"--merge {text!r}", " (write them as N,M: --merge 1,2)") for part in str(text).split(",")
    ]


def _topic_number(text: str, where: str, hint: str = "") -> int:
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()):
        raise EditError(f"{where}: {text!r} is not a topic number{hint}")
    return int(text)


def plan_edit(labels, rename=None, merge=None) -> EditPlan:
    """Check an edit of the topics whose labels are ``labels`` (topic order) and plan it.

    Raises
    ------
    EditError
        A topic number the run does not have, an empty label, one with a control character or over
        :data:`MAX_LABEL_CHARS` characters, a label another topic keeps, a merge of fewer than two topics, a topic
        in two merges, or two labels for one merged topic.
    """
    labels = [str(label) for label in labels]
    k = len(labels)
    rename = {int(t): str(label).strip() for t, label in dict(rename or {}).items()}
    groups = [sorted(set(int(t) for t in group)) for group in (merge or [])]
    span = f"the run has topics 0 to {k - 1}" if k else "the run has no topic"
    for t, label in rename.items():
        if not 0 <= t < k:
            raise EditError(f"--rename {t}=...: there is no topic {t} ({span})")
        if not label:
            raise EditError(f'--rename {t}=: the label is empty; give a name, e.g. --rename {t}="Sepak bola"')
        if len(label) > MAX_LABEL_CHARS or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in label):
            raise EditError(
                f"--rename {t}=...: a label is one line of at most {MAX_LABEL_CHARS} characters without control "
                "characters"
            )
    seen: dict[int, int] = {}
    for number, group in enumerate(groups):
        if len(group) < 2:
            raise EditError(f"--merge {','.join(map(str, group))}: name at least two different topics to merge")
        for t in group:
            if not 0 <= t < k:
                raise EditError(f"--merge {','.join(map(str, group))}: there is no topic {t} ({span})")
            if t in seen:
                raise EditError(f"--merge: topic {t} is in two merges; merge all of them at once (--merge 1,2,3)")
            seen[t] = number
    new_topic = _renumber(k, groups)
    plan = EditPlan(new_topic=new_topic, rename=rename, merge=groups, labels_before=labels)
    final = []
    for topic in range(plan.k):
        given = {rename[old] for old in plan.members(topic) if old in rename}
        if len(given) > 1:
            raise EditError(
                f"--rename: topics {plan.members(topic)} are merged into one, which gets one label, not {len(given)}"
            )
        final.append(given.pop() if given else labels[plan.members(topic)[0]])
    for topic, label in enumerate(final):
        clash = [t for t, other in enumerate(final) if t != topic and other.casefold() == label.casefold()]
        if plan.label_of(topic) is not None and clash:
            raise EditError(
                f"--rename: the label {label!r} would name two topics ({topic} and {clash[0]} after the edit); "
                "give each its own"
            )
    return plan


def _renumber(k: int, groups: list[list[int]]) -> list[int]:
    """The number after the edit of every topic: a merge takes its lowest member's place, the rest close up."""
    head = list(range(k))
    for group in groups:
        for t in group:
            head[t] = group[0]
    survivors = sorted(set(head))
    return [survivors.index(h) for h in head]


def merged_words(word_lists, sizes, n: int | None = None) -> list[str]:
    """One set of words for merged topics: every word scored by its rank in each member's list (1 for the first,
    falling to 1/len for the last), weighted by the member's size; best first, as many as the longest list.

    Examples
    --------
    >>> merged_words([["gol", "laga", "pemain"], ["laga", "stadion", "suporter"]], [300, 100])
    ['gol', 'laga', 'pemain']
    """
    scores: dict[str, float] = {}
    for words, size in zip(word_lists, sizes):
        for rank, word in enumerate(words):
            scores[word] = scores.get(word, 0.0) + float(size) * (1 - rank / max(len(words), 1))
    n = n or max((len(words) for words in word_lists), default=0)
    return sorted(scores, key=lambda word: (-scores[word], word))[:n]


def edit_model(model, plan: EditPlan, run_id: str | None = None):
    """A new :class:`kliping.topics.model.TopicModel` with ``plan`` applied (the model given is left as it was)."""
    import dataclasses

    sizes = list(model.sizes) if len(model.sizes) == model.k else [1] * model.k
    words = list(model.words) if len(model.words) == model.k else [[] for _ in range(model.k)]
    labels, new_words, new_sizes = [], [], []
    for topic in range(plan.k):
        members = plan.members(topic)
        weights = [sizes[t] for t in members]
        kept = words[members[0]] if len(members) == 1 else merged_words([words[t] for t in members], weights)
        new_words.append(list(kept))
        own = model.labels[members[0]] if len(members) == 1 else " · ".join(kept[:3])
        labels.append(plan.label_of(topic) or own)
        new_sizes.append(int(sum(weights)))
    before = np.arange(model.k) if model.centre_topics is None else np.asarray(model.centre_topics)
    after = np.asarray(plan.new_topic, dtype=np.int64)[before]
    one_each = len(after) == plan.k and (after == np.arange(plan.k)).all()
    return dataclasses.replace(
        model,
        labels=labels,
        words=new_words,
        sizes=new_sizes,
        edits=list(model.edits) + [plan.record(run_id)],
        centre_topics=None if one_each else after,
        fitted=None if model.fitted is None else model.fitted.renumbered(plan.new_topic),
    )


def placeable_rows(articles) -> np.ndarray:
    """The rows of a run's article table that a model places: those with a topic and the outliers (far from every
    topic); a row without usable text keeps its topic -1 and its reason.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"topic": [0, -1, -1], "reason": ["", "far from every topic (cosine 0.10 < 0.12)",
    ...                                                     "no usable text (empty)"]})
    >>> placeable_rows(table).tolist()
    [True, True, False]
    """
    far = articles["reason"].fillna("").astype(str).str.startswith("far from").to_numpy()
    return (articles["topic"].to_numpy() >= 0) | far


def edit_run(articles, topics, model, plan: EditPlan, run_id: str | None = None, cache_dir=None):
    """A run's tables with ``plan`` applied: ``(articles, topics, model, placed)``.

    The model is edited (:func:`edit_model`) and places every article the run placed again, as ``kliping assign``
    with it would (the stems come from the stem cache: the article table's title and content are what the run
    stemmed), so the edited run and its model agree article for article. Each topic's size, typical articles,
    site mix and span come from its articles (:func:`kliping.topics.describe.describe_topics`); a merged topic
    gets the words of its articles as one topic, every other topic keeps its words, and the labels the edit gives.
    ``placed`` holds the rows placed, their TF-IDF rows and placement (for the scores).
    """
    import pandas as pd

    from kliping.base.articles import follow_originals, stem_input
    from kliping.stem import stem_corpus
    from kliping.stem.languages import word_modes
    from kliping.topics.describe import describe_topics, topic_spans, topic_words
    from kliping.topics.results import Topics

    edited = edit_model(model, plan, run_id)
    # A copy is not placed on its own: it follows its original, as in the run (sizes count each story once).
    copies = articles["duplicate_of"].notna().to_numpy() if "duplicate_of" in articles else False
    rows = np.flatnonzero(placeable_rows(articles) & ~copies)
    modes = word_modes(articles["language"], model.languages) if "language" in articles else None
    stemmed = stem_corpus(stem_input(articles), cache_dir=cache_dir, progress=False, modes=modes)
    X = edited.vectorizer.transform([stemmed.tokens[i] for i in rows])
    placement = edited.place_rows(X)
    table = articles.copy()
    table.loc[table.index[rows], "topic"] = placement.topics
    table.loc[table.index[rows], "confidence"] = placement.confidence
    table.loc[table.index[rows], "reason"] = placement.reasons
    follow_originals(table)
    held = ~placement.outlier
    kept = table.iloc[rows[held]].reset_index(drop=True)
    clustering = Topics(placement.nearest[held], placement.confidence[held], edited.k, model.settings.get("method", ""))
    fresh = describe_topics(kept, X[held], edited.vectorizer, clustering, stemmed.display_words)
    dates = kept["published"] if "published" in kept else pd.Series(pd.NaT, index=kept.index)
    fresh = fresh.join(topic_spans(dates, clustering.labels, edited.k), on="topic")
    old_words = topic_words(topics)
    old_distinctive = topics.sort_values("topic")["distinctive_terms"].fillna("").astype(str).tolist()
    for topic in range(plan.k):
        members = plan.members(topic)
        if len(members) == 1:  # not merged: its words stay
            fresh.at[topic, "top_terms"] = list(old_words[members[0]])
            fresh.at[topic, "distinctive_terms"] = old_distinctive[members[0]]
            fresh.at[topic, "label"] = edited.labels[topic]
        elif plan.label_of(topic):
            fresh.at[topic, "label"] = plan.label_of(topic)
    edited.labels = fresh["label"].astype(str).tolist()
    edited.words = [list(words) for words in fresh["top_terms"]]
    edited.sizes = fresh["size"].astype(int).tolist()
    table["topic_label"] = table["topic"].map(dict(enumerate(edited.labels)))
    return table, fresh, edited, {"rows": rows, "X": X, "placement": placement}


def edited_metrics(metrics: dict, articles, model, placed: dict) -> dict:
    """A run's metrics after an edit (:func:`edit_run`'s tables): the scores of
    :func:`kliping.topics.clustering.evaluate` on the edited topics (silhouette, NPMI and, with labels, NMI and ARI),
    the outliers, and every edit made (``edits``)."""
    from kliping import config
    from kliping.topics import clustering
    from kliping.topics.results import Topics
    from kliping.topics.vocabulary import project_rows

    placement, rows = placed["placement"], placed["rows"]
    held = ~placement.outlier
    X = placed["X"][held]
    truth = articles["label"].to_numpy()[rows[held]] if "label" in articles else None
    topics = Topics(placement.nearest[held], placement.confidence[held], model.k, metrics.get("method", ""))
    seed = metrics.get("seed", config.SEED)
    scores = clustering.evaluate(project_rows(X, model.components), X, topics, truth, seed=seed)
    return {
        **{key: value for key, value in metrics.items() if key not in ("silhouette", "nmi", "ari")},
        **scores,
        "n_outliers": int(placement.outlier.sum()),
        "outlier_share": round(float(placement.outlier.mean()), 4) if len(rows) else 0.0,
        "edits": list(model.edits),
    }


def edit_topics(result: RunResult, rename: dict | None = None, merge=None, cache_dir=None) -> RunResult:
    """A run with its topics renamed (``{topic: label}``) and merged (``[[1, 2], ...]``; topic numbers before the
    edit), as ``kliping topics OUT --rename/--merge`` makes it (:func:`kliping.topics.edit.edit_run`; the stems
    from the stem cache in ``cache_dir``, default ``config.CACHE_DIR``): the edited model places the run's articles
    again, and the scores, outliers and the edit itself go to the metrics
    (``edits``). The result given is left as it was.

    Raises
    ------
    kliping.topics.edit.EditError
        A topic the run does not have, a bad label, a topic merged twice (one line).
    """
    if result.model is None:
        raise EditError("the run has no topic to rename or merge (no model)")
    plan = plan_edit(result.model.labels, rename, merge)
    articles, topics, model, placed = edit_run(
        result.articles, result.topics, result.model, plan, result.metrics.get("run_id"), cache_dir
    )
    metrics = edited_metrics(result.metrics, articles, model, placed)
    return RunResult(articles=articles, topics=topics, metrics=metrics, k_table=result.k_table, model=model)
