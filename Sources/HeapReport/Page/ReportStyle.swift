// ReportStyle — the report's style sheet, inline in the page and allowed by its hash in the CSP.
// No web fonts, no url(): the page loads nothing.

enum ReportStyle {
    static let text = """
        :root{color-scheme:light dark;--fg:#1d1f23;--bg:#fff;--muted:#6a6f78;--line:#d9dce1;--accent:#0b62c4;--hi:#f5f7fa;--bad:#b3261e}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#16181c;--muted:#9aa0a8;--line:#343840;--accent:#6aa8ff;--hi:#20242a;--bad:#ff8a80}}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header{padding:12px 24px;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--bg);z-index:2}
        header h1{font-size:18px;margin:0 12px 0 0;display:inline}
        header .file{display:inline;margin:0;color:var(--muted);font-family:ui-monospace,Menlo,monospace}
        nav{margin-top:6px}nav a{margin-right:14px}
        main{padding:8px 24px 48px;max-width:1400px}
        section{margin:22px 0}h2{font-size:17px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
        a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
        a.o,span.o{font-family:ui-monospace,Menlo,monospace;font-size:13px;overflow-wrap:anywhere}
        code,pre{font-family:ui-monospace,Menlo,monospace;font-size:12.5px}
        pre.tree{background:var(--hi);padding:8px 10px;overflow:auto;max-height:360px;border-radius:4px}
        table{border-collapse:collapse}
        table.overview td,table.overview th{padding:3px 14px 3px 0;text-align:left}
        table.data{width:100%;margin-top:6px}
        table.data th,table.data td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        table.data td.name{overflow-wrap:anywhere;font-family:ui-monospace,Menlo,monospace;font-size:12.5px}
        .num{text-align:right!important;font-variant-numeric:tabular-nums;white-space:nowrap}
        th button.sort{font:inherit;font-weight:600;background:none;border:0;color:inherit;cursor:pointer;padding:0}
        th[aria-sort=ascending] button.sort::after{content:" ▲"}th[aria-sort=descending] button.sort::after{content:" ▼"}
        input.filter{font:inherit;padding:4px 8px;width:min(360px,100%);border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
        .muted,.note{color:var(--muted)}.note{font-style:italic}
        .bad{color:var(--bad)}
        article.cycle{border:1px solid var(--line);border-radius:6px;padding:4px 14px 10px;margin:14px 0}
        figure{margin:8px 0;overflow:auto;max-height:560px}figure img{max-width:100%;height:auto;background:#fff}
        ul.tree-level{list-style:none;margin:0;padding-left:22px}#dominators-content>ul.tree-level{padding-left:0}
        li.dom-node .row{display:flex;gap:10px;align-items:baseline;padding:1px 0}
        li.dom-node .row:hover{background:var(--hi)}
        li.dom-node .num{min-width:76px}li.dom-node .pct{min-width:52px}
        button.toggle{width:22px;font:inherit;background:none;border:0;color:var(--fg);cursor:pointer;padding:0}
        button.toggle:disabled{cursor:default;color:var(--muted)}
        li.more{color:var(--muted);padding:2px 0 2px 32px}
        button.show-more{font:inherit;background:none;border:1px solid var(--line);border-radius:4px;color:var(--accent);cursor:pointer;padding:1px 8px}
        .suspect{border-left:3px solid var(--bad);padding:2px 12px;margin:10px 0}
        ol.path{margin:4px 0;padding-left:22px}ol.path li{margin:1px 0}
        aside#panel{position:fixed;top:0;right:0;bottom:0;width:min(560px,92vw);overflow:auto;background:var(--bg);border-left:1px solid var(--line);box-shadow:-6px 0 18px rgba(0,0,0,.15);padding:14px 18px;z-index:3}
        aside#panel h2{margin-top:4px;overflow-wrap:anywhere;font-family:ui-monospace,Menlo,monospace;font-size:15px;padding-right:28px}
        #panel-close{position:absolute;top:8px;right:10px;font-size:20px;background:none;border:0;color:var(--fg);cursor:pointer}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
        footer{color:var(--muted);padding:12px 24px;border-top:1px solid var(--line);font-size:12px}
        """
}
