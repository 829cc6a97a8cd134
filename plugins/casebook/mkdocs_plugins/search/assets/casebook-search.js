/* Casebook search page: keeps the query and the chosen facets in the page URL.
 *
 * The search UI is Pagefind's own component UI (served from the site's
 * pagefind/ folder). This script only links it to the address bar:
 *   ?q=fiets&kind=lab&theme=mobility
 * Parameters and values are stable vocabulary keys; the page embeds the
 * mapping to the facet names and labels of its language. A facet change adds
 * a history entry (the back button restores the previous view), a change of
 * the query replaces the current one. Opening a URL restores its view.
 */
(function () {
  "use strict";
  var configElement = document.getElementById("casebook-search-config");
  if (!configElement || !window.PagefindComponents) {
    return;
  }
  var facets = JSON.parse(configElement.textContent).facets;
  var instance = window.PagefindComponents.getInstanceManager().getInstance("default");

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    facets.forEach(function (facet) {
      var labels = params.getAll(facet.param)
        .map(function (key) { return facet.values[key]; })
        .filter(function (label) { return typeof label === "string"; });
      if (labels.length) {
        filters[facet.name] = labels;
      }
    });
    return { term: (params.get("q") || "").trim(), filters: filters };
  }

  function filterQuery(filters) {
    var params = new URLSearchParams();
    facets.forEach(function (facet) {
      var chosen = (filters && filters[facet.name]) || [];
      Object.keys(facet.values).forEach(function (key) {
        if (chosen.indexOf(facet.values[key]) >= 0) {
          params.append(facet.param, key);
        }
      });
    });
    return params.toString();
  }

  function search(term, filters) {
    var params = new URLSearchParams();
    if (term) {
      params.set("q", term);
    }
    var query = params.toString();
    var rest = filterQuery(filters);
    var all = [query, rest].filter(Boolean).join("&");
    return all ? "?" + all : "";
  }

  // Results are shown a page at a time (max-results); "more" shows the next page.
  var resultsElement = document.querySelector("pagefind-results");
  var moreButton = document.getElementById("casebook-search-more");
  var pageSize = resultsElement
    ? parseInt(resultsElement.getAttribute("max-results") || "0", 10) || 0
    : 0;
  var shown = pageSize;

  function showFirstPage() {
    if (pageSize && shown !== pageSize) {
      shown = pageSize;
      resultsElement.setAttribute("max-results", String(shown));
    }
  }

  instance.on("results", function (result) {
    var total = result && result.results ? result.results.length : 0;
    if (moreButton) {
      moreButton.hidden = !(pageSize && total > shown);
    }
  });

  if (moreButton && pageSize) {
    moreButton.addEventListener("click", function () {
      shown += pageSize;
      resultsElement.setAttribute("max-results", String(shown));
      restoring = true;
      try {
        instance.triggerSearchWithFilters(instance.searchTerm || "", instance.searchFilters || {});
      } finally {
        restoring = false;
      }
    });
  }

  var state = readUrl();
  var current = { term: state.term, filters: filterQuery(state.filters) };
  var restoring = false;

  instance.on("search", function (term, filters) {
    if (restoring) {
      return;
    }
    var next = { term: (term || "").trim(), filters: filterQuery(filters) };
    if (next.term === current.term && next.filters === current.filters) {
      return;
    }
    showFirstPage();
    var url = window.location.pathname + search(next.term, filters) + window.location.hash;
    if (next.filters !== current.filters) {
      window.history.pushState(null, "", url);
    } else {
      window.history.replaceState(null, "", url);
    }
    current = next;
  });

  function restore() {
    var wanted = readUrl();
    current = { term: wanted.term, filters: filterQuery(wanted.filters) };
    showFirstPage();
    restoring = true;
    try {
      instance.triggerSearchWithFilters(wanted.term, wanted.filters);
    } finally {
      restoring = false;
    }
  }

  window.addEventListener("popstate", restore);
  // Load the index first: in faceted mode Pagefind then runs an empty search of
  // its own, which must neither win over the URL's view nor rewrite the URL.
  restoring = true;
  Promise.resolve(instance.triggerLoad())
    .catch(function () { return null; })
    .then(function () {
      restoring = false;
      // Someone who typed while the index was loading keeps their query.
      var input = document.querySelector("pagefind-input input");
      var typed = input ? input.value.trim() : "";
      var wanted = readUrl();
      if (typed && typed !== wanted.term) {
        current = { term: wanted.term, filters: filterQuery(wanted.filters) };
        instance.triggerSearchWithFilters(typed, wanted.filters);
      } else {
        restore();
      }
    });
})();
