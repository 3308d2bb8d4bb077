"""`cfgspace table --format json` as the oracle for what a page shows: run beside the browser, and
held against the page's readings for the same device, spec version, features, interpretation and
sizing."""

import concurrent.futures
import json
import re
import subprocess

INTERPRETATIONS = ("fixed", "packed")
SIZINGS = ("full", "qemu")


def number(text):
    """The leading integer of a cell ("10 (0x0a)", "28 bytes (0x1c)"); None for "—"."""
    if text is None:
        return None
    match = re.match(r"\s*(\d+)", text)
    return int(match.group(1)) if match else None


class Oracle:
    """`cfgspace table --format json`, run beside the browser on two threads."""

    def __init__(self, plan):
        self.binary = plan["cfgspace"]
        self.root = plan["root"]
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self.calls = 0

    def table(self, layout, device, version, features, interpretation, sizing):
        arguments = [self.binary, "table", layout, "--device", device, "--spec", version,
                     "--features", ",".join(features) if features else "none",
                     "--interpretation", interpretation, "--sizing", sizing, "--format", "json"]
        self.calls += 1
        return self.pool.submit(self.run, arguments)

    def run(self, arguments):
        result = subprocess.run(arguments, cwd=self.root, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            return {"error": " ".join(arguments[1:]) + " exited " + str(result.returncode) + ": " + result.stderr}
        document = json.loads(result.stdout)
        document["stderr"] = result.stderr
        return document


def compare(where, state, oracle, section, failures):
    """The page's readings against `cfgspace table` for the same set, version and interpretation;
    `section` is the spec section every row names."""
    for key, document in oracle.items():
        if "error" in document:
            failures.append(where + ": " + document["error"])
            return
        if document["stderr"]:
            failures.append(where + ": cfgspace table warns: " + document["stderr"].strip())
    fixed = oracle[("fixed", "qemu")]
    if state["noConfig"]:
        if fixed["fields"] or fixed["size"] != 0:
            failures.append(where + ": the page says there is no configuration; cfgspace table lays out " +
                            str(len(fixed["fields"])) + " fields")
        return
    names = [row["name"] for row in state["rows"]]
    expected_names = [field["name"] for field in fixed["fields"]]
    if names != expected_names:
        failures.append(where + ": the page lists " + str(names) + "; cfgspace table " + str(expected_names))
        return
    # Each row's condition, whether it holds (present and valid), and its spec section.
    for row, field in zip(state["rows"], fixed["fields"]):
        # A field with no condition shows "always", with no code and no verdict.
        holds = " holds" if field["present"] and field["valid"] else " does not hold"
        expected = (field["condition"], holds) if field["condition"] is not None else (None, None)
        if (row["condition"], row["holds"]) != expected:
            failures.append(where + ": " + row["name"] + " shows the condition " + repr(row["condition"]) + " with " +
                            repr(row["holds"]) + "; cfgspace table gives " + repr(expected))
        if row["spec"] != section:
            failures.append(where + ": " + row["name"] + " names the spec section " + repr(row["spec"]) + ", not " +
                            repr(section))
    # Each row's move, as the engine's two offsets give it.
    for row, fixed_field, packed_field in zip(state["rows"], fixed["fields"], oracle[("packed", "qemu")]["fields"]):
        before, after = fixed_field["offset"], packed_field["offset"]
        if before is not None and after is None:
            expected = "absent in packed"
        elif before is None or after is None or before == after:
            expected = ""
        else:
            expected = ("moves up " + str(before - after) if after < before else "moves down " + str(after - before)) + \
                " (" + str(before) + " → " + str(after) + ")"
        if row["move"] != expected:
            failures.append(where + ": " + row["name"] + " says it " + repr(row["move"]) + "; cfgspace table gives " +
                            repr(expected))
    for interpretation in INTERPRETATIONS:
        for sizing in SIZINGS:
            shown = number(state["sizes"].get(interpretation + " " + sizing))
            expected = oracle[(interpretation, sizing)]["size"]
            if shown != expected:
                failures.append(where + ": " + interpretation + " " + sizing + " size shows " + str(shown) +
                                ", cfgspace table says " + str(expected))
        fields = oracle[(interpretation, "qemu")]["fields"]
        for row, field in zip(state["rows"], fields):
            shown = number(row[interpretation])
            if shown != field["offset"]:
                failures.append(where + ": " + field["name"] + " shows " + str(shown) + " in " + interpretation +
                                ", cfgspace table says " + str(field["offset"]))
            if number(row["size"]) != field["size"]:
                failures.append(where + ": " + field["name"] + " shows size " + row["size"] + ", cfgspace table says " +
                                str(field["size"]))
            past = "past QEMU's size in " + interpretation in row["notes"]
            if field["offset"] is not None and past == field["inside"]:
                failures.append(where + ": " + field["name"] + (" is" if past else " is not") + " marked past QEMU's size "
                                "in " + interpretation + ", but cfgspace table says inside is " + str(field["inside"]))
            absent = row["notes"].startswith("absent")
            if not row["notes"].startswith("reserved") and absent == field["present"]:
                failures.append(where + ": " + field["name"] + " notes '" + row["notes"] + "', cfgspace table says present is " +
                                str(field["present"]))
