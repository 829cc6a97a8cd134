/*
 * Casebook: the table of all cases sorts in place when a column heading is chosen.
 *
 * Without script every heading is a link to the same table in another order
 * (casebook.listing writes one page per column and direction). With script the
 * rows are reordered here by the rank the build wrote in each cell
 * (data-sort: equal values share a rank, an empty one has none), so the order
 * is exactly the one of the static page. The order is kept in the address
 * (?sort=kind-asc; the page's own order needs none), so reloading, sharing,
 * back and forward and the language switch keep it. (The address keeps its
 * path: every link on the page is relative to it.)
 */
(function () {
  "use strict";

  function rank(cell) {
    var value = cell.getAttribute("data-sort");
    return value === "" || value === null ? null : Number(value);
  }

  function sortable(table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var status = document.getElementById(table.getAttribute("aria-describedby"));
    var base = table.getAttribute("data-base") || "";
    var state = {
      column: table.getAttribute("data-column"),
      direction: table.getAttribute("data-direction")
    };

    function index(column) {
      for (var i = 0; i < heads.length; i++) {
        if (heads[i].getAttribute("data-column") === column) return i;
      }
      return -1;
    }

    function label(th) {
      var link = th.querySelector("a");
      return link && link.firstChild ? link.firstChild.textContent : th.textContent;
    }

    function sortRows(column, direction) {
      var col = index(column);
      var title = index("title");
      var sign = direction === "desc" ? -1 : 1;
      var rows = Array.prototype.slice.call(body.rows).map(function (row) {
        return {row: row, key: rank(row.cells[col]), title: rank(row.cells[title]) || 0};
      });
      rows.sort(function (a, b) {
        if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;
        if (a.key !== b.key) return sign * (a.key - b.key);
        return a.title - b.title;
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (r) { fragment.appendChild(r.row); });
      body.appendChild(fragment);
    }

    /* Headings, status line and language links as the static page of this order has them. */
    function mark(column, direction) {
      heads.forEach(function (th) {
        var c = th.getAttribute("data-column");
        var active = c === column;
        var next = active ? (direction === "asc" ? "desc" : "asc") : th.getAttribute("data-first");
        if (active) {
          th.setAttribute("aria-sort", direction === "asc" ? "ascending" : "descending");
        } else {
          th.removeAttribute("aria-sort");
        }
        var link = th.querySelector("a");
        link.setAttribute("href", base + th.getAttribute("data-path-" + next));
        var hint = link.querySelector(".cb-sort-hint");
        if (hint) hint.textContent = " (" + table.getAttribute("data-sort-" + next) + ")";
      });
      var th = heads[index(column)];
      if (status) {
        status.textContent = table.getAttribute("data-sorted-" + direction)
          .replace("{column}", label(th));
      }
    }

    var own = {column: state.column, direction: state.direction};

    function query(column, direction) {
      if (column === own.column && direction === own.direction) return "";
      return "?sort=" + column + "-" + direction;
    }

    /* The language switch opens the other language in the same order. */
    function languageLinks(search) {
      var links = document.querySelectorAll("a[hreflang]");
      for (var i = 0; i < links.length; i++) {
        var href = links[i].getAttribute("href");
        if (href === null) continue;
        links[i].setAttribute("href", href.replace(/[?#].*$/, "") + search);
      }
    }

    function apply(column, direction) {
      sortRows(column, direction);
      mark(column, direction);
      languageLinks(query(column, direction));
      table.setAttribute("data-column", column);
      table.setAttribute("data-direction", direction);
      state = {column: column, direction: direction};
    }

    function fromAddress() {
      var match = /[?&]sort=([a-z]+)-(asc|desc)(?:&|$)/.exec(location.search);
      if (match && index(match[1]) >= 0) return {column: match[1], direction: match[2]};
      return {column: own.column, direction: own.direction};
    }

    heads.forEach(function (th) {
      var link = th.querySelector("a");
      if (!link) return;
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
            event.altKey) return; /* a new tab or window gets the static page */
        event.preventDefault();
        var column = th.getAttribute("data-column");
        var direction = column === state.column
          ? (state.direction === "asc" ? "desc" : "asc") : th.getAttribute("data-first");
        apply(column, direction);
        history.pushState({casebookSort: state}, "",
                          location.pathname + query(column, direction) + location.hash);
      });
    });

    var first = fromAddress();
    if (first.column !== state.column || first.direction !== state.direction) {
      apply(first.column, first.direction);
    }
    history.replaceState({casebookSort: state}, "");
    window.addEventListener("popstate", function (event) {
      var saved = (event.state && event.state.casebookSort) || fromAddress();
      if (index(saved.column) >= 0) apply(saved.column, saved.direction);
    });
  }

  function start() {
    var tables = document.querySelectorAll("table[data-cb-sortable]");
    for (var i = 0; i < tables.length; i++) {
      if (tables[i].tHead && tables[i].tBodies.length) sortable(tables[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
