/*
 * Casebook: the table of all cases sorts in place when a column heading is chosen.
 *
 * Without script every heading but the sorted one is a link to the same table
 * sorted by that column (casebook.listing writes one page per column). With
 * script every heading is a link, the sorted one reversing the order, and the
 * rows are reordered here by the key the build wrote in each cell (data-sort: a
 * text that compares as the column sorts, empty when the case has no value; ties
 * keep title order, then the case id of the row's data-id), the comparison
 * casebook.listing.order makes, so the order is exactly the one of the static
 * page. The order is kept in the address (?sort=kind-desc; the page's own order
 * needs none), so reloading, sharing, back and forward and the language switch
 * keep it. (The address keeps its path: every link on the page is relative to it.)
 */
(function () {
  "use strict";

  function key(cell) {
    var value = cell.getAttribute("data-sort");
    return value === "" || value === null ? null : value;
  }

  /* Keys hold ASCII only (see casebook.listing), so code units compare as Python does. */
  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function other(direction) {
    return direction === "asc" ? "desc" : "asc";
  }

  function sortable(table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var status = document.getElementById(table.getAttribute("aria-describedby"));
    var base = table.getAttribute("data-base") || "";
    var own = {column: table.getAttribute("data-column"),
               direction: table.getAttribute("data-direction")};
    var state = {column: own.column, direction: own.direction};

    function index(column) {
      for (var i = 0; i < heads.length; i++) {
        if (heads[i].getAttribute("data-column") === column) return i;
      }
      return -1;
    }

    function query(column, direction) {
      if (column === own.column && direction === own.direction) return "";
      return "?sort=" + column + "-" + direction;
    }

    /* Every heading gets a link (the sorted one has none without script). */
    heads.forEach(function (th) {
      if (th.querySelector("a")) return;
      var link = document.createElement("a");
      while (th.firstChild) {
        var node = th.firstChild;
        th.removeChild(node);
        if (node.nodeName === "SPAN" && !node.className) {
          while (node.firstChild) link.appendChild(node.firstChild);
        } else {
          link.appendChild(node);
        }
      }
      var hint = document.createElement("span");
      hint.className = "cb-sort-hint";
      link.appendChild(hint);
      th.appendChild(link);
    });

    function label(th) {
      var link = th.querySelector("a");
      return link.firstChild ? link.firstChild.textContent : th.textContent;
    }

    function sortRows(column, direction) {
      var col = index(column);
      var title = index("title");
      var sign = direction === "desc" ? -1 : 1;
      var rows = Array.prototype.slice.call(body.rows).map(function (row) {
        return {row: row, key: key(row.cells[col]), title: key(row.cells[title]) || "",
                id: row.getAttribute("data-id") || ""};
      });
      rows.sort(function (a, b) {
        if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;
        return sign * compare(a.key, b.key) || compare(a.title, b.title) ||
               compare(a.id, b.id);
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (r) { fragment.appendChild(r.row); });
      body.appendChild(fragment);
    }

    /* Headings, links and status line for the order shown. */
    function mark(column, direction) {
      heads.forEach(function (th) {
        var c = th.getAttribute("data-column");
        var link = th.querySelector("a");
        var next;
        if (c === column) {
          th.setAttribute("aria-sort", direction === "asc" ? "ascending" : "descending");
          next = other(direction);
          link.setAttribute("href", location.pathname + query(c, next));
        } else {
          th.removeAttribute("aria-sort");
          next = th.getAttribute("data-first");
          link.setAttribute("href", base + th.getAttribute("data-path"));
        }
        link.querySelector(".cb-sort-hint").textContent =
          " (" + table.getAttribute("data-sort-" + next) + ")";
      });
      if (status) {
        status.textContent = table.getAttribute("data-sorted-" + direction)
          .replace("{column}", label(heads[index(column)]));
      }
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
      state = {column: column, direction: direction};
    }

    function fromAddress() {
      var match = /[?&]sort=([a-z]+)-(asc|desc)(?:&|$)/.exec(location.search);
      if (match && index(match[1]) >= 0) return {column: match[1], direction: match[2]};
      return {column: own.column, direction: own.direction};
    }

    table.tHead.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a") : null;
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
          event.altKey) return; /* a new tab or window gets the page the link names */
      var th = link.closest("th");
      event.preventDefault();
      var column = th.getAttribute("data-column");
      var direction = column === state.column ? other(state.direction)
                                              : th.getAttribute("data-first");
      apply(column, direction);
      history.pushState({casebookSort: state}, "",
                        location.pathname + query(column, direction) + location.hash);
    });

    var first = fromAddress();
    if (first.column !== state.column || first.direction !== state.direction) {
      apply(first.column, first.direction);
    } else {
      mark(state.column, state.direction);
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
    /* "Choose it again to reverse": true only now that the sorted heading is a link. */
    if (tables.length) {
      var notes = document.querySelectorAll(".cb-sort-reverse");
      for (var n = 0; n < notes.length; n++) notes[n].hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
