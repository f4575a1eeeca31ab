"""Segments the PKU test lines with jieba (HMM on/off), on the raw and on the folded text.

Writes one file per system into OUT_DIR, tokens separated by single spaces, each token taken
from the *original* line by offset (folding is 1:1 per code point), so the scorer compares
spans. jieba's output is used as it is: no post-processing.
usage: python peers_eval.py OUT_DIR
"""
import sys, os, time
import jieba

out = sys.argv[1]
raw = open(os.path.join(out, "test-raw.txt"), encoding="utf-8").read().split("\n")[:-1]
folded = open(os.path.join(out, "test-folded.txt"), encoding="utf-8").read().split("\n")[:-1]
jieba.setLogLevel(60)
jieba.initialize()
for name, hmm in (("jieba-hmm", True), ("jieba-nohmm", False)):
    for variant, lines in (("raw", raw), ("folded", folded)):
        t = time.perf_counter()
        with open(os.path.join(out, f"{name}-{variant}.txt"), "w", encoding="utf-8") as f:
            for orig, line in zip(raw, lines):
                pos, toks = 0, []
                for w in jieba.cut(line, HMM=hmm):
                    toks.append(orig[pos:pos + len(w)])
                    pos += len(w)
                assert pos == len(orig), (line, pos)
                f.write(" ".join(toks) + "\n")
        print(f"{name}-{variant}: {time.perf_counter() - t:.2f} s", file=sys.stderr)
