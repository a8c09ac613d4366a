import os
import shutil
import tempfile

import pytest
from hypothesis import settings

# The disk cache (compiled hyperscan databases, language profiles) of this
# test session only, shared by the processes it starts and removed after.
_CACHE = tempfile.mkdtemp(prefix="cleaner-test-cache-")
os.environ["CLEANER_CACHE_DIR"] = _CACHE

# Property tests draw the same examples on every run, so CI is repeatable;
# HYPOTHESIS_PROFILE=explore draws new ones (run it when changing what they test).
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden/ from the current output (the only way golden files are written)",
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)
