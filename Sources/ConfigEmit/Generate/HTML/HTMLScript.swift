/// The page's script, in two parts: the model here (the state, evaluating the engine's conditions
/// and values over the ticked features, requirements, the link) and the views (HTMLScript+Views).
/// Neither lays anything out: every offset and size comes from the page's data.
enum HTMLScript {
    static let model = #"""
        "use strict";
        (function () {
        const data = JSON.parse(document.getElementById("layout-data").textContent);
        const featureByName = new Map(data.features.map((feature) => [feature.name, feature]));
        const bitOrder = (a, b) => featureByName.get(a).bit - featureByName.get(b).bit;
        const INTERPRETATIONS = ["fixed", "packed"];
        const state = { version: data.version, ticked: new Set() };
        let writtenHash = "";

        // A condition: {"constant": B}, {"feature": NAME}, {"not": C}, {"all": [C, ...]}, {"any": [C, ...]}.
        function holds(condition, set) {
          if ("constant" in condition) return condition.constant;
          if ("feature" in condition) return set.has(condition.feature);
          if ("not" in condition) return !holds(condition.not, set);
          if ("all" in condition) return condition.all.every((part) => holds(part, set));
          return condition.any.some((part) => holds(part, set));
        }

        // A value: a number; {"n": N, "if": C} (N when C holds); {"sum": [...]}; {"max": [...]};
        // {"if": C, "times": V} (V when C holds).
        function evaluate(value, set) {
          if (typeof value === "number") return value;
          if ("sum" in value) return value.sum.reduce((total, part) => total + evaluate(part, set), 0);
          if ("max" in value) return Math.max(...value.max.map((part) => evaluate(part, set)));
          if ("times" in value) return holds(value.if, set) ? evaluate(value.times, set) : 0;
          return holds(value.if, set) ? value.n : 0;
        }

        function versionEntry(version) {
          return data.versions.find((entry) => entry.version === version);
        }

        // The features the chosen version has.
        function available() {
          return new Set(versionEntry(state.version).features);
        }

        function currentLayout() {
          return data.layouts[versionEntry(state.version).layout];
        }

        function ordered(names) {
          return [...names].sort(bitOrder);
        }

        function list(names) {
          const words = [...names];
          if (words.length < 2) return words.join("");
          return words.slice(0, -1).join(", ") + " and " + words[words.length - 1];
        }

        // Ticked features whose requirement does not hold in the set.
        function unmet(set) {
          return ordered(set).filter((name) => {
            const requires = featureByName.get(name).requires;
            return requires !== null && !holds(requires, set);
          });
        }

        // Ticks what a condition needs, among the version's features: every part of "all", the
        // first part of "any" that can hold. False when it cannot hold.
        function satisfy(condition, set, features) {
          if (holds(condition, set)) return true;
          if ("feature" in condition) {
            if (!features.has(condition.feature)) return false;
            set.add(condition.feature);
            return true;
          }
          if ("all" in condition) return condition.all.every((part) => satisfy(part, set, features));
          if ("any" in condition) {
            for (const part of condition.any) {
              const trial = new Set(set);
              if (satisfy(part, trial, features)) {
                trial.forEach((name) => set.add(name));
                return true;
              }
            }
            return false;
          }
          if ("not" in condition && "feature" in condition.not) {
            set.delete(condition.not.feature);
            return true;
          }
          return false;
        }

        // Ticks the requirements of every ticked feature, and theirs in turn. Returns which feature
        // brought in which, and the features whose requirement cannot hold.
        function addRequirements(set, features) {
          const brought = [];
          for (let round = 0; round < 64; round++) {
            const missing = unmet(set);
            if (missing.length === 0) return { brought, impossible: [] };
            let progress = false;
            for (const name of missing) {
              const before = new Set(set);
              if (satisfy(featureByName.get(name).requires, set, features)) progress = true;
              const added = ordered([...set].filter((other) => !before.has(other)));
              if (added.length > 0) brought.push({ by: name, added });
            }
            if (!progress) break;
          }
          return { brought, impossible: unmet(set) };
        }

        // Unticks every feature whose requirement no longer holds, and those that needed them.
        function dropUnmet(set) {
          const dropped = [];
          for (let round = 0; round < 64; round++) {
            const missing = unmet(set);
            if (missing.length === 0) break;
            for (const name of missing) {
              set.delete(name);
              dropped.push(name);
            }
          }
          return dropped;
        }

        function requirementText(name) {
          return name + " requires " + featureByName.get(name).requires_text;
        }

        function tick(name) {
          const set = new Set(state.ticked);
          set.add(name);
          const result = addRequirements(set, available());
          if (result.impossible.length > 0) {
            return name + " stays unticked: " + result.impossible.map(requirementText).join("; ") +
              ", which virtio " + state.version + " cannot give.";
          }
          state.ticked = set;
          const added = ordered(new Set(result.brought.flatMap((step) => step.added)));
          if (added.length === 0) return "Ticked " + name + ".";
          const reasons = [...new Set(result.brought.map((step) => step.by))].map(requirementText);
          return "Ticked " + name + ", and with it " + list(added) + ": " + reasons.join("; ") + ".";
        }

        function untick(name) {
          const set = new Set(state.ticked);
          set.delete(name);
          const dropped = dropUnmet(set);
          state.ticked = set;
          if (dropped.length === 0) return "Unticked " + name + ".";
          return "Unticked " + name + ", and with it " + list(dropped) + ", which " +
            (dropped.length === 1 ? "needs" : "need") + " it: " + dropped.map(requirementText).join("; ") + ".";
        }

        function chooseVersion(version) {
          state.version = version;
          const features = available();
          const gone = ordered([...state.ticked].filter((name) => !features.has(name)));
          gone.forEach((name) => state.ticked.delete(name));
          const dropped = dropUnmet(state.ticked);
          let message = "virtio " + version + ".";
          if (gone.length > 0) message += " Unticked " + list(gone) + ": not in virtio " + version + ".";
          if (dropped.length > 0) message += " Unticked " + list(dropped) + ": " + dropped.map(requirementText).join("; ") + ".";
          return message;
        }

        function tickAll() {
          const features = data.features.filter((feature) => !feature.legacy && available().has(feature.name));
          state.ticked = new Set(features.map((feature) => feature.name));
          dropUnmet(state.ticked);
          return "Ticked every feature of virtio " + state.version + " but the legacy ones.";
        }

        // The state as the link's fragment: #spec=1.4&features=CTRL_VQ,MQ
        function stateHash() {
          return "#spec=" + state.version + "&features=" + ordered(state.ticked).join(",");
        }

        function writeHash() {
          const hash = stateHash();
          writtenHash = hash;
          if (location.hash !== hash) history.replaceState(null, "", hash);
          const link = document.getElementById("permalink");
          if (link) link.href = hash;
        }

        // Reads the state from the link; what it could not take is said.
        function readHash() {
          const params = new URLSearchParams(location.hash.slice(1));
          const notes = [];
          const asked = params.get("spec");
          if (asked !== null && versionEntry(asked)) {
            state.version = asked;
          } else {
            state.version = data.version;
            if (asked !== null) notes.push("The link asks for virtio " + asked + ", which " + data.device +
              " is not in; showing virtio " + data.version + ".");
          }
          const features = available();
          let names;
          if (params.has("features")) {
            names = params.get("features").split(",").filter((name) => name !== "");
          } else {
            names = state.version === data.version ? data.default_features : [];
          }
          const unknown = names.filter((name) => !features.has(name));
          if (unknown.length > 0) notes.push("Left out " + list(unknown) + ": not a feature of " + data.device +
            " in virtio " + state.version + ".");
          state.ticked = new Set(names.filter((name) => features.has(name)));
          const result = addRequirements(state.ticked, features);
          const added = ordered(new Set(result.brought.flatMap((step) => step.added)));
          if (added.length > 0) {
            const reasons = [...new Set(result.brought.map((step) => step.by))].map(requirementText);
            notes.push("Ticked " + list(added) + " too: " + reasons.join("; ") + ".");
          }
          const dropped = dropUnmet(state.ticked);
          if (dropped.length > 0) notes.push("Left out " + list(dropped) + ": " + dropped.map(requirementText).join("; ") + ".");
          return notes.join(" ");
        }

        // Each field's place under both interpretations, and the sizes, for the ticked features.
        function computeView() {
          const layout = currentLayout();
          const set = state.ticked;
          const view = { layout, fields: [], sizes: null, moved: 0, hazards: [] };
          if (layout.size === null) return view;
          view.sizes = {};
          for (const interpretation of INTERPRETATIONS) {
            view.sizes[interpretation] = {
              full: evaluate(layout.size[interpretation].full, set),
              qemu: evaluate(layout.size[interpretation].qemu, set),
            };
          }
          for (const field of layout.fields) {
            const row = { field, exists: holds(field.exists, set), valid: holds(field.valid, set) };
            for (const interpretation of INTERPRETATIONS) {
              const placement = field[interpretation];
              row[interpretation] = holds(placement.placed, set) ? evaluate(placement.offset, set) : null;
              const offset = row[interpretation];
              if (offset !== null && row.exists && field.alignment > 1 && offset % field.alignment !== 0) {
                view.hazards.push({ field, interpretation, offset });
              }
            }
            row.move = row.fixed !== null && row.packed !== null ? row.packed - row.fixed : 0;
            if (row.move !== 0) view.moved += 1;
            view.fields.push(row);
          }
          return view;
        }

        """#
}
