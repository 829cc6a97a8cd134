/*
 * Casebook: keep Material from asking for a sitemap.xml next to every page.
 *
 * Material fetches "sitemap.xml" relative to each <link rel="alternate"> of a
 * page, assuming those links point at language roots
 * (squidfunk/mkdocs-material#6582). Casebook's hreflang links point at the
 * same page in the other language, and the language switcher already links
 * there, so those requests could only end in a "404 Not Found" error. They are
 * answered with a local error instead (which Material ignores) and never sent.
 * The site's own /sitemap.xml is fetched as usual.
 *
 * A failed look-up leaves Material an empty sitemap for that address, and its
 * click handler then sends every link under it to the bare page: the language
 * switch below keeps Material out of those clicks altogether.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.XMLHttpRequest) return;
  var rootSitemap = new URL("../../sitemap.xml", script.src).pathname;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  XMLHttpRequest.prototype.open = function (method, url) {
    var path = new URL(String(url), location.href).pathname;
    this.casebookSkip = /\/sitemap\.xml$/.test(path) && path !== rootSitemap;
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    if (!this.casebookSkip) return send.apply(this, arguments);
    var request = this;
    setTimeout(function () {
      request.dispatchEvent(new ProgressEvent("error"));
      request.dispatchEvent(new ProgressEvent("loadend"));
    }, 0);
  };
})();

/*
 * Casebook: "skip to content" goes to the start of the content (#cb-main, see
 * main.html), not to the first heading of the Markdown body, which comes after a
 * case's title, summary and fact box. Pages whose body has no heading get the
 * link that Material leaves out.
 */
(function () {
  "use strict";
  function retarget() {
    var main = document.getElementById("cb-main");
    var holder = document.querySelector('[data-md-component="skip"]');
    if (!main || !holder) return;
    var link = holder.querySelector("a.md-skip");
    if (!link) {
      link = document.createElement("a");
      link.className = "md-skip";
      link.textContent = main.getAttribute("data-casebook-skip") || "";
      holder.appendChild(link);
    }
    link.setAttribute("href", "#cb-main");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", retarget);
  } else {
    retarget();
  }
})();

/*
 * Casebook: the language switch keeps the reader's state. Material's handler of
 * clicks on <body> (integrations/alternate) takes over links under an address
 * whose sitemap it looked up and, when the current page is not in that sitemap
 * (a page with a query never is), goes to the bare page instead: no query, no
 * filter, no sort, no anchor. The switch's links already name the same page in
 * the other language (the search page and the table of all cases keep their
 * query in them), so the click stays with the browser: it is stopped before it
 * reaches <body> (a click, or Enter on the focused link), and the address
 * keeps the current query and anchor when the link has none of its own (the
 * parameters and the anchors of the tables are keys, the same in both languages).
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ?
      event.target.closest(".md-select a[hreflang]") : null;
    if (!link) return;
    event.stopPropagation();
    var target = new URL(link.href, location.href);
    if (target.origin !== location.origin) return;
    if (!target.search && location.search) target.search = location.search;
    if (!target.hash && location.hash) target.hash = location.hash;
    link.setAttribute("href", target.pathname + target.search + target.hash);
  }, true);
})();
