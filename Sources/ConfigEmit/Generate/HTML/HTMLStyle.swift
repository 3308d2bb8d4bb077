/// The pages' style: system fonts only, the byte map's colours as the SVG byte maps have them,
/// visible focus, and a print style that keeps what was chosen and drops the controls' clutter.
enum HTMLStyle {
    static let css = """
        :root { --ink: #1d1d1d; --muted: #555555; --line: #c8c8c8; --accent: #1a5fb4;
          --present: #d6e6f7; --present-edge: #3b6ea5; --moved: #ffd9a8; --moved-edge: #a34f00;
          --reserved: #e4e4e4; --reserved-edge: #767676; --absent: #f4f4f4; --absent-edge: #8a8a8a; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 78rem; padding: 0 1.25rem 2rem; color: var(--ink); background: #ffffff;
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        code, .formula, .map { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; }
        code { font-size: 0.92em; }
        h1 { font-size: 1.6rem; margin: 0.4rem 0; }
        h2 { font-size: 1.2rem; margin: 1.6rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .skip { position: absolute; left: -100rem; }
        .skip:focus { position: static; display: inline-block; margin: 0.5rem 0; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
          white-space: nowrap; }
        .crumbs { margin: 0.8rem 0 0; font-size: 0.9rem; }
        .lede, .note, .doc, .bit, .requires, .needed, .holds, figcaption, #qemu-note { color: var(--muted); }
        .warning { border: 2px solid #a34f00; padding: 0.5rem 0.8rem; }
        fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0.8rem 0; padding: 0.4rem 0.9rem 0.7rem; }
        legend { font-weight: 600; padding: 0 0.3rem; }
        fieldset.group { border-style: dashed; }
        fieldset.group legend { font-weight: 500; }
        #version label { margin-right: 1.2rem; white-space: nowrap; }
        #more-features { margin: 0.6rem 0 0; }
        #more-features summary { cursor: pointer; padding: 0.2rem 0; }
        #more-ticked { color: var(--muted); }
        .feature-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.15rem 1rem;
          grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr)); }
        .feature { padding: 0.15rem 0; }
        .feature.ticked code { font-weight: 700; }
        .bit, .requires, .needed, .tag { font-size: 0.82rem; }
        .tag { border: 1px solid var(--line); border-radius: 3px; padding: 0 0.25rem; }
        .needed:empty { display: none; }
        .needed { font-style: italic; }
        .actions { margin: 0.2rem 0 0.4rem; }
        button { font: inherit; padding: 0.15rem 0.6rem; }
        #status { min-height: 1.5em; padding: 0.4rem 0.7rem; border-left: 4px solid var(--accent); background: #eef4fb; }
        #status:empty { visibility: hidden; }
        table { border-collapse: collapse; margin: 0.6rem 0 1rem; }
        caption { text-align: left; color: var(--muted); padding-bottom: 0.3rem; }
        th, td { border: 1px solid var(--line); padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        thead th { background: #f3f3f3; }
        #sizes td, #qemu-table td { font-variant-numeric: tabular-nums; }
        .offset { white-space: nowrap; }
        #summary-text { display: none; }
        #qemu-table tr.counts th, #qemu-table tr.counts td { background: #eef4fb; }
        .formula { font-size: 0.8rem; color: var(--muted); }
        .term { padding: 0 0.1rem; }
        mark.term { background: #fff0b3; color: var(--ink); border-radius: 2px; }
        #field-table .doc { display: block; font-weight: 400; font-size: 0.8rem; max-width: 24rem; }
        #field-table tr.absent th code, #field-table tr.absent td { color: var(--muted); }
        #field-table tr.moved td[data-column=move] { font-weight: 600; color: #8a4200; }
        .maps { display: flex; flex-wrap: wrap; gap: 1.5rem 3rem; }
        figure { margin: 0; flex: 1 1 22rem; max-width: 30rem; }
        figcaption { margin-bottom: 0.4rem; font-size: 0.9rem; }
        .map { display: grid; grid-template-columns: 4.2rem repeat(4, minmax(3.6rem, 1fr));
          grid-auto-rows: minmax(2.4rem, auto); font-size: 0.72rem; }
        .row-label { grid-column: 1; align-self: center; color: #777777; padding-right: 0.4rem; text-align: right; }
        .byte { border: 1px solid #eeeeee; }
        .byte.past { border: 1px dashed #e4e4e4; }
        .byte.served { background: repeating-linear-gradient(45deg, #ffffff 0 4px, #f1f1f1 4px 6px); }
        .byte.beyond { outline: 1px dotted #b00020; outline-offset: -4px; }
        .box { margin: 1px; border: 1.5px solid var(--present-edge); background: var(--present); border-radius: 3px;
          padding: 0.15rem 0.3rem; overflow-wrap: anywhere; z-index: 1; }
        .box.outside { outline: 2px dotted #b00020; outline-offset: -5px; }
        .box.moved { background: var(--moved); border-color: var(--moved-edge); }
        .box.invalid { border-style: dashed; }
        .box.reserved { background: var(--reserved); border-color: var(--reserved-edge); }
        .box.absent { background: repeating-linear-gradient(45deg, var(--absent) 0 4px, #dddddd 4px 6px);
          border-color: var(--absent-edge); color: var(--muted); }
        .legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.85rem; }
        .swatch { display: inline-block; width: 1.4rem; height: 0.9rem; vertical-align: middle; border: 1.5px solid;
          border-radius: 3px; }
        .swatch.present { background: var(--present); border-color: var(--present-edge); }
        .swatch.moved { background: var(--moved); border-color: var(--moved-edge); }
        .swatch.invalid { background: var(--present); border-color: var(--present-edge); border-style: dashed; }
        .swatch.absent { background: repeating-linear-gradient(45deg, var(--absent) 0 4px, #dddddd 4px 6px);
          border-color: var(--absent-edge); }
        .swatch.reserved { background: var(--reserved); border-color: var(--reserved-edge); }
        .swatch.served { background: repeating-linear-gradient(45deg, #ffffff 0 4px, #f1f1f1 4px 6px);
          border-color: #cccccc; }
        .swatch.beyond { background: var(--present); border-color: var(--present-edge); outline: 2px dotted #b00020;
          outline-offset: -5px; }
        footer { margin-top: 2rem; font-size: 0.85rem; color: var(--muted); }
        @media print {
          body { max-width: none; padding: 0; font-size: 9.5pt; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .skip, .actions, noscript, #status, footer a, .crumbs, .visually-hidden { display: none; }
          .feature:not(.ticked), #version label:not(.chosen), .requires, .bit { display: none; }
          #summary-text { display: block; }
          #more-features::details-content { content-visibility: visible; }
          #more-features > summary { display: none; }
          #more-features:not(:has(input:checked)) { display: none; }
          .feature-list { display: block; }
          .feature { display: inline; margin-right: 0.8rem; }
          fieldset { border: 0; padding: 0; margin: 0.3rem 0; }
          a { color: inherit; text-decoration: none; }
          h2 { break-after: avoid; }
          .maps, tr, figure { break-inside: avoid; }
          thead { display: table-header-group; }
          #field-table .doc { max-width: none; }
        }

        """
}
