"""The site's settings with bench.api_candidate as the URL conf: the site's paths, and under
/bench/ the variants of the score endpoint that bench_api measures."""

from marketplace.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_candidate"
