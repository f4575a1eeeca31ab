#!/usr/bin/env python3
"""Replicate the shop10-dev users into a large prospect pool (JSON Lines, grouped by user).

    python3 replicate.py --data DIR --users 1000000 --out pool.jsonl

Copy r of user u is user "u~r"; posts are copied verbatim, so every copy has the same text as
its original. Standard library only; the output depends only on the arguments.
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data", default=os.path.join(here, "../../../shared/data/shop10-dev"))
    ap.add_argument("--users", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    users, order = {}, []
    with open(os.path.join(a.data, "posts.jsonl"), encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o["user_id"] not in users:
                users[o["user_id"]] = []
                order.append(o["user_id"])
            users[o["user_id"]].append(o["text"])
    tmp = a.out + ".tmp"
    n = 0
    with open(tmp, "w", encoding="utf-8") as out:
        r = 0
        while n < a.users:
            for u in order:
                if n >= a.users:
                    break
                uid = f"{u}~{r}"
                for t in users[u]:
                    out.write(json.dumps({"user_id": uid, "text": t}, ensure_ascii=False) + "\n")
                n += 1
            r += 1
    os.replace(tmp, a.out)
    print(f"{a.out}: {n} users", file=sys.stderr)


if __name__ == "__main__":
    main()
