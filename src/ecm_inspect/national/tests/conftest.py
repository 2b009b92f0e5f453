from ecm_inspect.reviews.tests.conftest import rw  # noqa: F401 (the review world fixture)
