import logging
import os

import pytest

from scoring.spark.session import spark_session


@pytest.fixture(scope="session", autouse=True)
def spark():
    """One local Spark on two cores for this process (each xdist worker its own)."""
    os.environ.setdefault("SPARK_MASTER", "local[2]")
    session = spark_session()
    yield session
    session.stop()
    # py4j says goodbye from a finalizer, after pytest has closed the streams it logs to.
    logging.getLogger("py4j").setLevel(logging.WARNING)
