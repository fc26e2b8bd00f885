"""The one SparkSession of this process, tuned for small data in local mode."""

import os
import sys
from functools import cache
from pathlib import Path

from pyspark.sql import SparkSession

# On a few local cores most of a small world's time goes to planning, compiling and
# scheduling, not to the data (a third of it with these): few shuffle partitions; no
# adaptive re-planning or broadcasts, each of which is a job of its own; no whole-stage code
# generation, and only the JVM's quick compiler, whose compiling costs more than it saves
# here. A cluster keeps Spark's defaults; a setting given to spark-submit is kept.
LOCAL_SQL_SETTINGS = {
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
# The engine's arrays handed to Spark in process (scoring.spark.frames) would otherwise sit in
# the query plan itself below 48 MB, where planning walks them again at every step: a world of
# 350,000 interactions took minutes to plan, and takes seconds read as an RDD.
SQL_SETTINGS = {"spark.sql.execution.arrow.localRelationThreshold": "0"}
LOCAL_START_SETTINGS = {
    "spark.default.parallelism": "4",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # Local Python workers import `scoring` from this checkout.
    "spark.executorEnv.PYTHONPATH": str(Path(__file__).resolve().parents[2]),
}


@cache
def spark_session() -> SparkSession:
    """Created on first use and reused: on `SPARK_MASTER` (default local[*]), unless
    spark-submit started this process, whose --master and --conf then rule."""
    builder = SparkSession.builder.appName("sway-scoring")
    # PythonRunner sets the gateway port when spark-submit runs a module as its script.
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = os.environ.get("SPARK_MASTER", "local[*]")
        builder = builder.master(master)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter
        if master.startswith("local"):
            for key, value in LOCAL_START_SETTINGS.items():
                builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    local = (session.sparkContext.master or "").startswith("local")
    given = session.sparkContext.getConf()
    for key, value in (SQL_SETTINGS | LOCAL_SQL_SETTINGS if local else SQL_SETTINGS).items():
        if not given.contains(key):
            session.conf.set(key, value)
    return session
