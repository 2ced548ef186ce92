#!/usr/bin/env python3
"""Generates a realistic repository for benchmarks with `git fast-import`.

Source-like text files that change the way code changes (a few lines edited, lines added,
files added, renamed and deleted), several branches with merges, tags, and a handful of
fabricated secrets planted along the way. Deterministic for a given seed.

usage: gen_repo.py DIR [--commits N] [--files N] [--seed N]
"""
import argparse
import os
import random
import string
import subprocess
import sys

WORDS = ("config user request response handler value index count buffer stream parse token "
         "result error status client server cache session item record field query update "
         "create delete list map filter reduce format write read open close start stop").split()


def ident(r):
    return "_".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))


def code_line(r):
    kind = r.random()
    if kind < 0.3:
        return f"    {ident(r)} = {ident(r)}({ident(r)}, {r.randint(0, 999)})"
    if kind < 0.5:
        return f"    if {ident(r)} > {r.randint(0, 99)}:"
    if kind < 0.65:
        return f"        return {ident(r)}.{ident(r)}()"
    if kind < 0.8:
        return f"    # {' '.join(r.choice(WORDS) for _ in range(r.randint(3, 9)))}"
    if kind < 0.9:
        return f"def {ident(r)}({ident(r)}, {ident(r)}):"
    return ""


def new_file(r):
    return [code_line(r) for _ in range(r.randint(20, 400))]


def token(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


def secret_line(r):
    up = string.ascii_uppercase + string.digits
    choices = [
        lambda: f"CLICKUP_TOKEN = 'pk_{r.randint(10**6, 10**9)}_{token(r, up, 32)}'",
        lambda: f"GITHUB_TOKEN = 'ghp_{token(r, string.ascii_letters + string.digits, 36)}'",
        lambda: f"aws_access_key_id = 'AKIA{token(r, string.ascii_uppercase + '234567', 16)}'",
    ]
    return r.choice(choices)()


class Gen:
    def __init__(self, out, seed):
        self.out = out
        self.r = random.Random(seed)
        self.mark = 0
        self.time = 1_500_000_000

    def w(self, s):
        self.out.write(s if isinstance(s, bytes) else s.encode())

    def blob(self, lines):
        self.mark += 1
        data = ("\n".join(lines) + "\n").encode()
        self.w(f"blob\nmark :{self.mark}\ndata {len(data)}\n")
        self.w(data)
        self.w("\n")
        return self.mark

    def commit(self, ref, changes, parents, msg):
        self.mark += 1
        self.time += self.r.randint(60, 20000)
        author = f"Dev {self.r.randint(1, 40)} <dev{self.r.randint(1, 40)}@example.test>"
        self.w(f"commit {ref}\nmark :{self.mark}\n")
        self.w(f"author {author} {self.time} +0000\ncommitter {author} {self.time} +0000\n")
        m = msg.encode()
        self.w(f"data {len(m)}\n")
        self.w(m + b"\n")
        if parents:
            self.w(f"from :{parents[0]}\n")
            for p in parents[1:]:
                self.w(f"merge :{p}\n")
        for c in changes:
            self.w(c)
        self.w("\n")
        return self.mark


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--commits", type=int, default=20000)
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    os.makedirs(a.dir, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", a.dir], check=True)
    fi = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=a.dir, stdin=subprocess.PIPE)
    g = Gen(fi.stdin, a.seed)
    r = g.r

    dirs = [f"src/{ident(r).replace('_', '/')}" for _ in range(120)]
    files = {}
    # The first commit holds every file.
    changes = []
    for i in range(a.files):
        path = f"{r.choice(dirs)}/{ident(r)}_{i}.py"
        files[path] = new_file(r)
        changes.append(f"M 100644 :{g.blob(files[path])} {path}\n")
    head = {"main": g.commit("refs/heads/main", changes, [], "initial import")}
    branch_files = {"main": files}

    branches = ["main"]
    for n in range(1, a.commits):
        if n % 2000 == 0 and len(branches) < 6:
            name = f"feature-{len(branches)}"
            branches.append(name)
            head[name] = head["main"]
            branch_files[name] = dict(branch_files["main"])
        br = "main" if r.random() < 0.7 else r.choice(branches)
        fs = branch_files[br]
        changes = []
        for _ in range(r.randint(1, 4)):
            roll = r.random()
            path = r.choice(list(fs)) if roll > 0.03 else f"{r.choice(dirs)}/{ident(r)}_n{n}.py"
            lines = list(fs.get(path) or new_file(r))
            for _ in range(r.randint(1, 6)):
                at = r.randrange(len(lines) + 1)
                if r.random() < 0.6 and lines:
                    lines[min(at, len(lines) - 1)] = code_line(r)
                else:
                    lines.insert(at, code_line(r))
            if n % 997 == 0:
                lines.insert(r.randrange(len(lines) + 1), secret_line(r))
            fs[path] = lines
            changes.append(f"M 100644 :{g.blob(lines)} {path}\n")
        if r.random() < 0.005 and len(fs) > 10:
            gone = r.choice(list(fs))
            del fs[gone]
            changes.append(f"D {gone}\n")
        parents = [head[br]]
        if br != "main" and r.random() < 0.05:
            # Merge the branch back into main: main's files, then the branch's changes on top.
            main_fs = branch_files["main"]
            changes_all = [f"M 100644 :{g.blob(fs[p])} {p}\n" for p in fs if main_fs.get(p) is not fs[p]]
            merged = dict(main_fs)
            merged.update(fs)
            branch_files["main"] = merged
            head["main"] = g.commit("refs/heads/main", changes + changes_all, [head["main"], head[br]],
                                    f"Merge {br}")
            continue
        head[br] = g.commit(f"refs/heads/{br}", changes, parents, f"change {n}")
        if n % 2500 == 0:
            g.w(f"reset refs/tags/v{n // 2500}.0\nfrom :{head[br]}\n\n")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "gc", "-q"], cwd=a.dir, check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=a.dir, check=True)


if __name__ == "__main__":
    main()
