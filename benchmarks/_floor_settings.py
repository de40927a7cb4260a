"""Settings of the load benchmark's *floor* server (benchmarks/hotline_load.py, `--modes floor…`):
the platform's settings unchanged, with one URL added after all of the platform's
(`benchmarks/_floor_urls.py`). Never used outside the benchmark."""

from kmgov.settings import *  # noqa: F401,F403  the platform exactly as served

ROOT_URLCONF = "_floor_urls"
