#!/usr/bin/env python3
"""Writes Benchmarks/wide64.layout: 64 features, each gating one field of mixed size."""
import pathlib

lines = ["// 64 conditional features, one per field: the benchmark for `cfgspace diff`.",
         "// Regenerate with Benchmarks/make-wide.py; the diff must stay well under a second.",
         'device wide = 1 "Sixty-four conditional fields" {']
# A repeating group of 12 bytes that keeps every field naturally aligned in the fixed layout.
types = ["le32", "le16", "le16", "u8", "u8", "le16"]
for i in range(64):
    bit = i if i < 24 else i + 26  # stay inside the device-type bit ranges
    lines.append(f"  feature F{i} = {bit}" + (f" requires F{i - 1}" if i % 8 == 7 else ""))
lines.append("  config wide_config {")
for i in range(64):
    condition = f"F{i} || F{(i + 7) % 64}" if i % 5 == 4 else f"F{i}"
    lines.append(f"    field{i} {types[i % len(types)]} if {condition}")
lines += ["  }", "}"]
pathlib.Path(__file__).with_name("wide64.layout").write_text("\n".join(lines) + "\n")
