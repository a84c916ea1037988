import random, time, tracemalloc, pytest
pytestmark = pytest.mark.django_db

KANJI = "人材育成研修職員推進計画情報技術活用業務改善地域行政市町村県庁組織管理評価制度支援連携事業予算担当課長係員民間企業大学協定講座受講資格試験取得補助実施開始年度目標達成割合"
KATA = "デジタルトランスフォーメーションシステムクラウドデータセキュリティネットワークプログラミング"

def make_text(target):
    rnd = random.Random(1)
    parts=["---\ntitle: 大きな事例\norg_name: 札幌市\n---\n"]
    size=len(parts[0].encode())
    i=0
    while size < target:
        words = []
        for _ in range(60):
            w = "".join(rnd.choice(KANJI) for _ in range(rnd.randint(2,4)))
            if rnd.random() < 0.3:
                w += "".join(rnd.choice(KATA) for _ in range(rnd.randint(3,6)))
            words.append(w + rnd.choice("をにのでがは"))
        block = f"\n## 第{i}節 {words[0]}\n\n" + "".join(words) + f"、{rnd.randint(1,999)}名が受講した。\n"
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
    from hagukumi.cases.metadata import OrganizationDirectory, resolve_metadata
    from hagukumi.cases.search.indexing import units_for, PassageText
    from hagukumi.cases.models import Case
    from hagukumi.cases.services import case_import_file
    from hagukumi.core.tenancy import Actor
    data = make_text(5*1024*1024)
    print("\nbytes", len(data))
    directory = OrganizationDirectory.load()
    docs = stage("read", lambda: d.read_case_documents(data, filename="big.md"))
    doc = docs[0]
    spans = stage("passages", lambda: split_passages(doc.body, pages=doc.pages, headings=doc.headings))
    stage("facts", lambda: list(extract_facts(doc.body)))
    stage("mentioned", lambda: directory.mentioned(f"大きな事例\n{plain_text(doc.body)}"))
    case = Case(title="x", body=doc.body)
    ps = [PassageText(i, doc.body[s.start:s.end]) for i, s in enumerate(spans)]
    stage("units_for", lambda: units_for(case, ps, []))
    t = time.perf_counter()
    out = case_import_file(actor=Actor.system(), data=data, filename="big2.md")
    print("import all untraced", time.perf_counter() - t, out.error, flush=True)
