import time, tracemalloc, pytest
from hagukumi.cases.tests.test_import_memory import _large_text, TARGET_BYTES
pytestmark = pytest.mark.django_db
def test_time():
    from hagukumi.cases.services import case_import_file
    from hagukumi.core.tenancy import Actor
    data = _large_text(TARGET_BYTES)
    tracemalloc.start()
    t = time.perf_counter()
    out = case_import_file(actor=Actor.system(), data=data, filename="big.md")
    print("\nFULL IMPORT", len(data), "peak MB", tracemalloc.get_traced_memory()[1] / 1e6, "s", time.perf_counter() - t, out.error, flush=True)
