"""How good each stage is, measured against gold data and the baselines a user would otherwise pick.

Evaluation lives apart from the stages: the stages never import it. One module per stage that is scored
(:mod:`kliping.evaluation.extraction` for cleaning, :mod:`kliping.evaluation.stemming` for stemming).
"""
