extension HTMLScript {
    /// The views: the controls kept in step with the state, the sizes and QEMU's table, the
    /// hazards, the two byte maps and the field table, all redrawn from `computeView` on each change.
    static let views = #"""
        function el(tag, attributes, ...children) {
          const node = document.createElement(tag);
          for (const [key, value] of Object.entries(attributes || {})) {
            if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value === true ? "" : value);
          }
          for (const child of children) if (child !== null && child !== undefined) node.append(child);
          return node;
        }

        // Puts `children` in `parent`, leaving alone each child whose markup has not changed: the
        // browser then lays out again only what changed, which keeps a click quick on a long table.
        function patch(parent, children) {
          const old = [...parent.children];
          children.forEach((child, index) => {
            const current = old[index];
            if (current === undefined) parent.append(child);
            else if (current.outerHTML !== child.outerHTML) current.replaceWith(child);
          });
          for (let index = children.length; index < old.length; index++) old[index].remove();
        }

        function hex(value) {
          const digits = value.toString(16);
          return "0x" + (digits.length < 2 ? "0" + digits : digits);
        }

        function offsetText(value) {
          return value + " (" + hex(value) + ")";
        }

        function bytes(value) {
          return value + (value === 1 ? " byte" : " bytes") + " (" + hex(value) + ")";
        }

        function setText() {
          return "{" + ordered(state.ticked).join(", ") + "}";
        }

        function mentions(condition, name) {
          if ("feature" in condition) return condition.feature === name;
          if ("not" in condition) return mentions(condition.not, name);
          if ("all" in condition) return condition.all.some((part) => mentions(part, name));
          if ("any" in condition) return condition.any.some((part) => mentions(part, name));
          return false;
        }

        // A value as the engine writes it, each term marked where its condition holds.
        function appendValue(node, value) {
          if (typeof value === "number") {
            node.append(String(value));
          } else if ("sum" in value) {
            value.sum.forEach((part, index) => {
              if (index > 0) node.append(" + ");
              appendValue(node, part);
            });
          } else if ("max" in value) {
            node.append("max(");
            value.max.forEach((part, index) => {
              if (index > 0) node.append(", ");
              appendValue(node, part);
            });
            node.append(")");
          } else if ("times" in value) {
            const term = el(holds(value.if, state.ticked) ? "mark" : "span", { class: "term" }, "[" + value.when + "]·(");
            appendValue(term, value.times);
            term.append(")");
            node.append(term);
          } else {
            node.append(el(holds(value.if, state.ticked) ? "mark" : "span", { class: "term" }, value.n + "·[" + value.when + "]"));
          }
        }

        function formula(value) {
          const node = el("span", { class: "formula" });
          appendValue(node, value);
          return node;
        }

        function syncControls() {
          const features = available();
          for (const feature of data.features) {
            const box = document.getElementById("feature-" + feature.name);
            const item = document.getElementById("item-" + feature.name);
            item.hidden = !features.has(feature.name);
            box.checked = state.ticked.has(feature.name);
            item.classList.toggle("ticked", box.checked);
            const needers = ordered([...state.ticked].filter((other) => other !== feature.name &&
              featureByName.get(other).requires !== null && mentions(featureByName.get(other).requires, feature.name)));
            document.getElementById("needed-" + feature.name).textContent =
              box.checked && needers.length > 0 ? "needed by " + list(needers) : "";
          }
          for (const group of document.querySelectorAll("#features fieldset.group")) {
            group.hidden = [...group.querySelectorAll("li.feature")].every((item) => item.hidden);
          }
          const more = document.getElementById("more-features");
          if (more) {
            const items = [...more.querySelectorAll("li.feature")].filter((item) => !item.hidden);
            const ticked = items.filter((item) => item.classList.contains("ticked")).map((item) => item.querySelector("input").value);
            more.hidden = items.length === 0;
            document.getElementById("more-ticked").textContent = "(" + items.length + "; " +
              (ticked.length === 0 ? "none ticked" : "ticked: " + list(ticked)) + ")";
          }
          for (const radio of document.querySelectorAll("input[name=spec]")) {
            radio.checked = radio.value === state.version;
            radio.closest("label").classList.toggle("chosen", radio.checked);
          }
        }

        function summaryText(view) {
          if (view.sizes === null) return "";
          const sizes = view.sizes;
          let text = "Under " + setText() + " at virtio " + state.version + ": fixed " + sizes.fixed.full +
            " bytes and packed " + sizes.packed.full + "; QEMU serves " + sizes.fixed.qemu + " and " + sizes.packed.qemu + ". ";
          text += view.moved === 0 ? "No field moves when packed. " :
            view.moved + (view.moved === 1 ? " field moves" : " fields move") + " when packed. ";
          text += view.hazards.length === 0 ? "No alignment hazard." :
            view.hazards.length + (view.hazards.length === 1 ? " alignment hazard." : " alignment hazards.");
          return text;
        }

        function renderSizes(view) {
          for (const cell of document.querySelectorAll("#sizes td")) {
            cell.textContent = bytes(view.sizes[cell.dataset.interpretation][cell.dataset.sizing]);
          }
          const qemu = view.layout.qemu;
          const rows = [];
          const entry = (label, offered, ends) => {
            const row = el("tr", { class: offered ? "counts" : null },
              el("th", { scope: "row" }, label), el("td", null, offered ? "yes" : "no"));
            for (const interpretation of INTERPRETATIONS) {
              const end = ends[interpretation];
              const cell = el("td", null, offsetText(evaluate(end, state.ticked)));
              if (typeof end !== "number") cell.append(el("br"), formula(end));
              row.append(cell);
            }
            rows.push(row);
          };
          entry("min_size", true, qemu.minimum);
          for (const item of qemu.entries) entry(el("code", null, item.when), holds(item.if, state.ticked), item);
          patch(document.querySelector("#qemu-table tbody"), rows);
          let note = qemu.transcribed ? "The entries are QEMU's own feature_sizes table for this device." :
            "No QEMU table is transcribed for this device: each conditional field is an entry reaching its end.";
          if (qemu.depends_on_values !== null) note += " " + qemu.depends_on_values + ".";
          document.getElementById("qemu-note").textContent = note;
          document.getElementById("summary-text").textContent = summaryText(view);
        }

        function renderHazards(view) {
          const items = view.hazards.map((hazard) => el("li", null, el("code", null, hazard.field.name),
            " (" + hazard.field.type + ") in " + hazard.interpretation + " at " + offsetText(hazard.offset) +
            ": off its " + hazard.field.alignment + "-byte alignment."));
          if (items.length === 0) items.push(el("li", null, "None: every present field sits on its natural alignment in both."));
          patch(document.getElementById("hazard-list"), items);
        }

        // One box per run of bytes a span takes: a part row, whole rows together, a part row.
        function segments(offset, size) {
          const parts = [];
          let byte = offset;
          const end = offset + size;
          while (byte < end) {
            const row = Math.floor(byte / 4);
            if (byte % 4 === 0 && end - byte >= 8) {
              const rows = Math.floor((end - byte) / 4);
              parts.push({ row, column: 0, rows, columns: 4 });
              byte += rows * 4;
            } else {
              const count = Math.min(end, (row + 1) * 4) - byte;
              parts.push({ row, column: byte % 4, rows: 1, columns: count });
              byte += count;
            }
          }
          return parts;
        }

        // A name that may break after each underscore rather than inside a word.
        function breakable(text) {
          const node = el("span", { class: "label" });
          text.split("_").forEach((piece, index, pieces) => {
            node.append(piece + (index + 1 < pieces.length ? "_" : ""));
            if (index + 1 < pieces.length) node.append(el("wbr"));
          });
          return node;
        }

        function place(boxes, offset, size, label, kind, title, outside) {
          const parts = segments(offset, size);
          let widest = 0;
          parts.forEach((part, index) => {
            if (part.rows * part.columns > parts[widest].rows * parts[widest].columns) widest = index;
          });
          parts.forEach((part, index) => {
            const box = el("div", { class: "box " + kind + (outside ? " outside" : ""), title },
              index === widest ? breakable(label) : null);
            box.style.gridRow = (part.row + 1) + " / span " + part.rows;
            box.style.gridColumn = (part.column + 2) + " / span " + part.columns;
            boxes.push(box);
          });
        }

        function kindOf(row) {
          if (row.field.reserved) return "reserved";
          if (!row.exists) return "absent";
          if (row.move !== 0) return "moved";
          return row.valid ? "present" : "invalid";
        }

        function renderMap(interpretation, view) {
          const figure = document.getElementById("map-" + interpretation);
          const size = view.sizes[interpretation];
          const rows = Math.max(1, Math.ceil(Math.max(size.full, size.qemu) / 4));
          figure.querySelector("figcaption").textContent = interpretation + ": " +
            (interpretation === "fixed" ? "C offsets (Linux, QEMU, VMMs)" : "absent fields take no space") +
            ", " + size.full + " bytes; QEMU serves " + size.qemu + ". The field table below says the same in words.";
          const grid = [];
          for (let row = 0; row < rows; row++) {
            const label = el("div", { class: "row-label" }, String(row * 4) + " " + hex(row * 4));
            label.style.gridRow = String(row + 1);
            grid.push(label);
            for (let column = 0; column < 4; column++) {
              const byte = row * 4 + column;
              // Past the struct's end: bytes QEMU serves all the same, or only the row's filler.
              // Inside it: the bytes past what QEMU serves are marked.
              const kind = byte < size.full ? (byte < size.qemu ? "" : " beyond") : byte < size.qemu ? " served" : " past";
              const cell = el("div", { class: "byte" + kind });
              cell.style.gridRow = String(row + 1);
              cell.style.gridColumn = String(column + 2);
              grid.push(cell);
            }
          }
          const unions = new Map();
          for (const row of view.fields) {
            const offset = row[interpretation];
            if (offset === null || row.field.size === 0) continue;
            if (row.field.union !== null) {
              const span = unions.get(row.field.union) || { start: offset, end: offset, moved: false };
              span.start = Math.min(span.start, offset);
              span.end = Math.max(span.end, offset + row.field.size);
              span.moved = span.moved || row.move !== 0;
              unions.set(row.field.union, span);
              continue;
            }
            let label = row.field.name + " @" + offset;
            if (row.move !== 0) label += interpretation === "packed" ? " (fixed " + row.fixed + ")" : " (packed " + row.packed + ")";
            const title = row.field.name + " (" + row.field.type + ") at " + offsetText(offset) + ", " +
              row.field.size + (row.field.size === 1 ? " byte" : " bytes");
            place(grid, offset, row.field.size, label, kindOf(row), title, offset + row.field.size > size.qemu);
          }
          for (const union of view.layout.unions) {
            const span = unions.get(union.path);
            if (!span) continue;
            const label = union.path + " @" + span.start + ": union of " + union.members.join(", ");
            place(grid, span.start, span.end - span.start, label, span.moved ? "moved" : "present",
              label + ", " + (span.end - span.start) + " bytes", span.end > size.qemu);
          }
          patch(figure.querySelector(".map"), grid);
        }

        function offsetCell(interpretation, row) {
          const offset = row[interpretation];
          const cell = el("td", { "data-column": interpretation });
          if (offset === null) {
            cell.append(el("span", { class: "offset" }, "—"), el("span", { class: "visually-hidden" }, " absent, takes no space"));
            return cell;
          }
          cell.append(el("span", { class: "offset" }, offsetText(offset)));
          const value = row.field[interpretation].offset;
          if (typeof value !== "number") cell.append(el("br"), formula(value));
          return cell;
        }

        function moveText(row) {
          if (row.fixed !== null && row.packed === null) return "absent in packed";
          if (row.move < 0) return "moves up " + -row.move + " (" + row.fixed + " → " + row.packed + ")";
          if (row.move > 0) return "moves down " + row.move + " (" + row.fixed + " → " + row.packed + ")";
          return "";
        }

        function notes(row, view) {
          const notes = [];
          if (row.field.reserved) notes.push("reserved");
          else if (!row.exists) notes.push(row.packed === null ? "absent" : "absent: bytes reserved");
          else if (!row.valid) notes.push("not valid");
          for (const interpretation of INTERPRETATIONS) {
            const offset = row[interpretation];
            if (offset !== null && offset + row.field.size > view.sizes[interpretation].qemu) {
              notes.push("past QEMU's size in " + interpretation);
            }
          }
          for (const hazard of view.hazards) {
            if (hazard.field === row.field) notes.push("off its " + row.field.alignment + "-byte alignment in " + hazard.interpretation);
          }
          if (row.field.access !== null) notes.push(row.field.access);
          return notes.join("; ");
        }

        function renderTable(view) {
          const table = document.getElementById("field-table");
          table.querySelector("caption").textContent = "Every field of " + data.device + " at virtio " + state.version +
            " under " + setText() + ", where each interpretation puts it" + (data.spec ? " (" + data.spec + ")" : "") + ".";
          const rows = view.fields.map((row) => {
            const field = row.field;
            const name = el("th", { scope: "row" }, el("code", null, field.name));
            if (field.doc !== null) name.append(el("span", { class: "doc" }, field.doc));
            const condition = field.condition === "" ? el("td", { "data-column": "condition" }, "always") :
              el("td", { "data-column": "condition" }, el("code", null, field.condition), el("span", { class: "holds" },
                row.exists && row.valid ? " holds" : " does not hold"));
            const versions = [field.since !== null ? "since " + field.since : null,
              field.until !== null ? "until " + field.until : null].filter((text) => text !== null).join(", ");
            return el("tr", { "data-field": field.name, class: kindOf(row) },
              name, el("td", null, el("code", null, field.type)), el("td", { "data-column": "size" }, String(field.size)),
              condition, offsetCell("fixed", row), offsetCell("packed", row),
              el("td", { "data-column": "move" }, moveText(row)), el("td", { "data-column": "notes" }, notes(row, view)),
              el("td", null, versions), el("td", { "data-column": "spec" }, data.section));
          });
          patch(table.querySelector("tbody"), rows);
        }

        function update(message) {
          syncControls();
          const view = computeView();
          let summary = "";
          if (view.sizes !== null) {
            renderSizes(view);
            renderHazards(view);
            renderMap("fixed", view);
            renderMap("packed", view);
            renderTable(view);
            summary = summaryText(view);
          }
          writeHash();
          document.getElementById("status").textContent = [message, summary].filter((text) => text !== "").join(" ");
        }

        document.getElementById("controls").addEventListener("submit", (event) => event.preventDefault());
        document.getElementById("controls").addEventListener("change", (event) => {
          const target = event.target;
          if (target.name === "spec") update(chooseVersion(target.value));
          else if (target.type === "checkbox") update(target.checked ? tick(target.value) : untick(target.value));
        });
        const tickAllButton = document.getElementById("tick-all");
        if (tickAllButton) tickAllButton.addEventListener("click", () => update(tickAll()));
        const untickAllButton = document.getElementById("untick-all");
        if (untickAllButton) untickAllButton.addEventListener("click", () => {
          state.ticked = new Set();
          update("Unticked every feature.");
        });
        window.addEventListener("hashchange", () => {
          if (location.hash !== writtenHash) update(readHash());
        });
        update(readHash());
        })();

        """#
}
