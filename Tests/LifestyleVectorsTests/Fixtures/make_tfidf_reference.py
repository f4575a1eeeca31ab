"""Reference values for the TF-IDF equivalence test (committed with their output).

Run: python3 make_tfidf_reference.py   (needs scikit-learn; e.g. Benchmarks/.venv/bin/python)
Writes tfidf-char12-docs.jsonl (the documents, written for this project) and
tfidf-char12-reference.tsv (row, term as JSON string, value) for
TfidfVectorizer(analyzer='char', ngram_range=(1, 2), sublinear_tf=True, min_df=2).
"""
import json, random, sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

random.seed(7)
pieces = ["今天去健身房练腿", "深蹲 卧推 硬拉", "宝宝的奶粉喝完了", "周末带娃去早教", "新买的口红颜色很显白",
          "粉底液有点卡粉", "去云南旅行，大理的风好舒服！", "机票和酒店都订好了", "iPhone 新系统 BUG 好多",
          "Switch 游戏打折了", "火锅 烧烤 奶茶", "这家店的小笼包太好吃了", "猫咪今天又拆家了", "狗狗打疫苗",
          "基金定投第三年", "股票又跌了  心累", "Hello World", "ＡＢＣ全角１２３", "😂😂 笑死我了", "\t制表符\t和\n换行",
          "哈哈哈哈哈哈", "The Quick  Brown   Fox", "蛋白粉 + 燕麦", "理财 收益率 3.5%"]
docs = []
for i in range(40):
    k = random.randint(1, 4)
    docs.append("，".join(random.choice(pieces) for _ in range(k)))
docs.append("")            # an empty document: a zero row
docs.append("孤")          # only terms below min_df
with open("tfidf-char12-docs.jsonl", "w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps({"text": d}, ensure_ascii=False) + "\n")
v = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
X = v.fit_transform(docs).tocoo()
names = v.get_feature_names_out()
with open("tfidf-char12-reference.tsv", "w", encoding="utf-8") as f:
    f.write(f"# scikit-learn {sklearn.__version__}; {X.shape[0]} rows, {X.shape[1]} features, {X.nnz} nnz\n")
    for r, c, val in sorted(zip(X.row, X.col, X.data)):
        f.write(f"{r}\t{json.dumps(str(names[c]), ensure_ascii=False)}\t{val:.9g}\n")
print(X.shape, X.nnz)
