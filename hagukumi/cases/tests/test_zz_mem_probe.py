import random, time, tracemalloc, pytest
pytestmark = pytest.mark.django_db

def make_text(target):
    rnd = random.Random(1)
    parts=["---\ntitle: 大きな事例\norg_name: 札幌市\n---\n"]
    size=len(parts[0].encode())
    i=0
    while size < target:
        block = f"研修{i}\n受講者 {rnd.randint(1,999)}名\n時間 {rnd.randint(1,99)}時間\n\n"
        parts.append(block); size += len(block.encode()); i+=1
    return "".join(parts).encode()

def stage(name, fn):
    tracemalloc.start()
    t=time.perf_counter()
    r=fn()
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name:20s} peak {peak/1e6:8.1f} MB kept {cur/1e6:8.1f} time {time.perf_counter()-t:6.2f}", flush=True)
    return r

def test_probe():
    from hagukumi.cases import documents as d
    from hagukumi.cases.passages import split_passages
    from hagukumi.cases.facts import extract_facts, plain_text
    from hagukumi.cases.metadata import OrganizationDirectory
    data = make_text(15*1024*1024)
    print("\nbytes", len(data), flush=True)
    directory = OrganizationDirectory.load()
    docs = stage("read", lambda: d.read_case_documents(data, filename="big.md"))
    doc = docs[0]
    spans = stage("passages", lambda: split_passages(doc.body, pages=doc.pages, headings=doc.headings))
    print(len(spans), flush=True)
    stage("plain_text", lambda: plain_text(doc.body))
    stage("facts", lambda: list(extract_facts(doc.body)))
