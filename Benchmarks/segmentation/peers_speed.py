"""Segmentation throughput of a Python peer on the speed corpus (one system per process).

usage: python peers_speed.py jieba|rjieba CORPUS[,CORPUS] [REPEATS]
Prints one JSON line: dictionary load seconds (separately), best-of-N segmentation seconds,
chars/s, tokens, and this process's peak RSS. jieba runs with HMM=False (the same model as
ours); the input gets the same full-width → ASCII folding ours does, so all see the same text.
"""
import json, resource, sys, time

system, corpora = sys.argv[1], sys.argv[2].split(",")
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3

def fold(s):
    return s.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20})

docs = []
for path in corpora:
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            text = line.split("\t", 1)[1] if path.endswith(".tsv") and "\t" in line else ("" if path.endswith(".tsv") else line)
            if text:
                docs.append(fold(text))
chars = sum(len(d) for d in docs)

t = time.perf_counter()
if system == "jieba":
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    cut = lambda s: jieba.lcut(s, HMM=False)
else:
    import rjieba
    rjieba.cut("预热")  # forces the dictionary load
    cut = lambda s: rjieba.cut(s, False)
load = time.perf_counter() - t

best, tokens = float("inf"), 0
for _ in range(repeats):
    t = time.perf_counter()
    n = 0
    for d in docs:
        n += len(cut(d))
    best = min(best, time.perf_counter() - t)
    tokens = n
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"system": system + ("-nohmm" if system == "jieba" else "-nohmm"), "load_s": round(load, 3),
                  "docs": len(docs), "chars": chars, "tokens": tokens, "seconds": round(best, 4),
                  "chars_per_s": round(chars / best), "peak_rss_kb": rss}))
