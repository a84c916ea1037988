import time, tracemalloc, pytest
from hagukumi.cases.services import case_import_file
from hagukumi.core.tenancy import Actor
pytestmark = pytest.mark.django_db

def make_text(target=15*1024*1024):
    parts=["---\ntitle: 大きな事例\norg_name: 札幌市\n---\n"]
    size=len(parts[0].encode())
    i=0
    while size < target:
        block=f"\n## 第{i}節 人材育成の取組\n\n" + ("職員のデジタル研修を年間120時間実施し、受講者は300名に達した。" * 20) + "\n"
        parts.append(block); size += len(block.encode()); i+=1
    return "".join(parts).encode()

def test_probe():
    data = make_text()
    print("bytes", len(data))
    import hagukumi.cases.services as s
    stages = {}
    tracemalloc.start()
    t=time.perf_counter()
    out = case_import_file(actor=Actor.system(), data=data, filename="big.md")
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print("failed", out.error, "peak MB", peak/1e6, "time", time.perf_counter()-t)
