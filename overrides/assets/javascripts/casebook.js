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
