"""From stems to topics: TF-IDF, word vectors, clustering, topic words, the topics table, the model and its files.

Nothing is imported here, so ``kliping assign`` (:mod:`~kliping.topics.model`, :mod:`~kliping.topics.modelfiles`,
:mod:`~kliping.topics.vocabulary`) never loads scikit-learn, which :mod:`~kliping.topics.tfidf`,
:mod:`~kliping.topics.wordvectors` and :mod:`~kliping.topics.clustering` need for a run.
"""
