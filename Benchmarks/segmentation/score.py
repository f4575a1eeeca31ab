"""Span-based word precision / recall / F1 of segmentation files against the gold file.

usage: python score.py GOLD PRED [PRED …]  — one line per sentence, tokens separated by spaces;
every predicted line must concatenate to the gold line.
"""
import sys

def spans(line):
    out, pos = set(), 0
    for tok in line.split(" "):
        if tok:
            out.add((pos, pos + len(tok)))
            pos += len(tok)
    return out, pos

gold = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
print(f"{'system':<22} {'P':>7} {'R':>7} {'F1':>7}")
for path in sys.argv[2:]:
    pred = open(path, encoding="utf-8").read().split("\n")[:-1]
    assert len(pred) == len(gold), (path, len(pred), len(gold))
    m = p = g = 0
    for gl, pl in zip(gold, pred):
        gs, gn = spans(gl)
        ps, pn = spans(pl)
        assert gn == pn, (path, gl, pl)
        m += len(gs & ps); p += len(ps); g += len(gs)
    P, R = m / p, m / g
    name = path.rsplit("/", 1)[-1].removesuffix(".txt")
    print(f"{name:<22} {P:7.4f} {R:7.4f} {2 * P * R / (P + R):7.4f}")
