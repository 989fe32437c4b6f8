"""Topic words that occur together: NPMI between words, and a topic's first words chosen for it.

A topic's words are ranked by how typical and distinctive they are (:func:`kliping.topics.words.terms_of_counts`); a
reader (and the NPMI a topic model is judged by) then reads the first ten as one story. Words ranked high one by
one need not occur in the same articles: in a topic of Habibie's death the rank put ``allah``, ``swt`` and
``rasulullah`` beside ``bj`` and ``habibie``. :func:`coherent_order` picks the first ten again among the topic's
top 50, each the word that occurs most with the ones already picked, less a cost for every place it stood lower.
Only the corpus being clustered is read (which words share an article): no labels, no outside corpus.

Measured on the CLICK-ID samples (k = number of desks, seeds 0-2, NPMI of the first 10 words over all 22,136
articles): 0.443 → 0.514 on the 3,235-article stratified sample, 0.468 → 0.515 on a disjoint 2,806-article one,
0.441 → 0.472 on a random 3,000 of the rest (k = 7); no word in two topics before or after. With a place cost of
0.013 (0.025) NPMI was 0.523, 0.531, 0.485 (0.508, 0.505, 0.470): the cost is how far a word may climb; 0.02
keeps the first ten among the topic's own typical words (``docs/topics-issue13.md``).

Examples
--------
>>> import scipy.sparse as sp
>>> docs = [["banjir", "hujan", "tanggul"], ["banjir", "hujan", "tanggul"], ["banjir", "bupati"], ["gol", "laga"]]
>>> vocabulary = ["banjir", "bupati", "gol", "hujan", "laga", "tanggul"]
>>> presence = sp.csr_matrix([[float(w in d) for w in vocabulary] for d in docs])
>>> ranked = [0, 1, 3, 5]  # banjir, bupati, hujan, tanggul: "bupati" ranked second
>>> [vocabulary[i] for i in coherent_order(ranked, presence, first=3)]
['banjir', 'hujan', 'tanggul', 'bupati']
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: Words a topic's first :data:`FIRST_WORDS` are chosen from: its 50 best ranked.
CANDIDATES = 50
#: The words chosen for coherence: the ten a topic's NPMI is usually judged by (and its label's three).
FIRST_WORDS = 10
#: NPMI a word must gain over the words already chosen for every place it is ranked lower: a word 10 places down
#: must occur 0.2 more coherently with them.
PLACE_COST = 0.02


def npmi_matrix(presence) -> np.ndarray:
    """NPMI between every two columns of a documents × words presence matrix, by whole-document co-occurrence.

    ``log(p(a, b) / (p(a) p(b))) / -log p(a, b)``: 1 when two words always occur together, 0 when independent,
    -1 when they never share a document (and for a word of no document). The diagonal is 1.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> # columns: banjir, hujan, gol; four articles
    >>> presence = sp.csr_matrix([[1, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1]], dtype=float)
    >>> npmi_matrix(presence).round(3).tolist()
    [[1.0, 0.415, -0.292], [0.415, 1.0, -1.0], [-0.292, -1.0, 1.0]]
    """
    presence = sp.csr_matrix(presence, dtype=np.float64)
    presence.data = np.ones_like(presence.data)
    co = np.asarray((presence.T @ presence).todense(), dtype=np.float64) / max(presence.shape[0], 1)
    p = np.diag(co).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(co / np.outer(p, p)) / -np.log(co)
    out[co <= 0] = -1.0
    out[co >= 1] = 1.0
    np.fill_diagonal(out, 1.0)
    return out


def coherent_order(
    ranked, presence, first: int = FIRST_WORDS, candidates: int = CANDIDATES, place_cost: float = PLACE_COST
) -> np.ndarray:
    """A topic's ranked words with its first ``first`` chosen to occur together.

    The best ranked word stays first; each next one is, among the ``candidates`` best ranked words not yet chosen,
    the one with the highest mean NPMI (:func:`npmi_matrix`, over the documents of ``presence``) with the words
    chosen so far, less ``place_cost`` per place it is ranked. The other words follow in their ranked order.

    Parameters
    ----------
    ranked : sequence of int
        The topic's word columns, best first.
    presence : sparse matrix (documents × words)
        Which words occur in which of the corpus's documents (any nonzero counts).
    first, candidates : int
    place_cost : float

    Returns
    -------
    ndarray of int
        The same columns, reordered.
    """
    ranked = np.asarray(ranked, dtype=np.int64)
    pool = ranked[:candidates]
    if len(pool) < 3:
        return ranked
    columns = sp.csc_matrix(presence)[:, pool]
    npmi = npmi_matrix(columns)
    places = np.arange(len(pool)) * place_cost
    chosen = [0]
    left = np.ones(len(pool), dtype=bool)
    left[0] = False
    while len(chosen) < min(first, len(pool)):
        gain = npmi[:, chosen].mean(axis=1) - places
        pick = int(np.argmax(np.where(left, gain, -np.inf)))
        chosen.append(pick)
        left[pick] = False
    rest = [i for i in range(len(pool)) if left[i]]
    return np.concatenate([pool[chosen + rest], ranked[candidates:]])
