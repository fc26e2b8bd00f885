"""The scoring engine's compute step on Apache Spark: the same model as scoring.engine, in
PySpark DataFrames, for worlds past one machine (issue 25).

Like the engine it never imports Django or any other part of Sway (import-linter enforces
this), so that `scoring/` shipped as a zip to a cluster runs without them.
"""
