/* Casebook search page: facets, sorting and results over Pagefind's index.
 *
 * The page (built by casebook/search) holds the query field, one fieldset of
 * checkboxes per facet, the sort menu and an empty result list; this script
 * keeps them and the URL in step and draws the results that the search index
 * (casebook-search-index.js: Pagefind for the query, the list of pages beside
 * the index for filters, counts and order) gives:
 *
 * - OR within a facet, AND across facets.
 * - Each value shows how many results it has with the query and the other
 *   facets' choices; a value that would add nothing is disabled, a chosen one
 *   never is.
 * - The URL is the state: ?q=fiets&kind=lab&kind=challenge&sort=title&page=2.
 *   Parameters and values are stable keys, the same in both languages; the
 *   language selector in the header carries them to the other language.
 *   A filter or sort change adds a history entry, typing replaces it (after
 *   its first key), so back and forward step through what the reader chose.
 * - Results come a page at a time; "more" adds the next page.
 *
 * Everything from the index is written as text (textContent), never as HTML.
 */
(function () {
  "use strict";
  var root = document.getElementById("casebook-search");
  var configElement = document.getElementById("casebook-search-config");
  if (!root || !configElement || !window.URLSearchParams || !window.Promise ||
      !window.CasebookSearchIndex) {
    return;
  }
  root.classList.remove("casebook-search--waiting");
  var config = JSON.parse(configElement.textContent);
  var strings = config.strings;
  var facets = config.facets;
  var sorts = config.sorts;
  var pageSize = config.pageSize || 20;
  var EXCERPT_WORDS = 30;
  var FIRST_DRAWN = 5;

  var form = document.getElementById("casebook-search-form");
  var input = document.getElementById("casebook-search-input");
  var countElement = document.getElementById("casebook-search-count");
  var sortSelect = document.getElementById("casebook-search-sort");
  var chips = document.getElementById("casebook-search-chips");
  var chipList = chips.querySelector("ul");
  var clearButton = document.getElementById("casebook-search-clear");
  var list = document.getElementById("casebook-search-list");
  var moreButton = document.getElementById("casebook-search-more");
  var filterPane = document.getElementById("casebook-search-filters");
  var activeBadge = document.getElementById("casebook-search-active");
  var results = document.getElementById("casebook-search-results");
  var skipLink = root.querySelector(".casebook-search__skip");
  var noneBox = document.getElementById("casebook-search-none");
  var noneList = noneBox.querySelector("ul");
  var csvLink = document.getElementById("casebook-search-csv");
  var bundle = root.getAttribute("data-bundle") || "/pagefind/";

  var labels = {};
  facets.forEach(function (facet) {
    labels[facet.param] = {};
    facet.values.forEach(function (pair) { labels[facet.param][pair[0]] = pair[1]; });
  });

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  // --- state and URL ----------------------------------------------------------------

  var state = { q: "", filters: {}, sort: "", pages: 1 };

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    facets.forEach(function (facet) {
      var wanted = params.getAll(facet.param);
      var keys = facet.values.map(function (pair) { return pair[0]; })
        .filter(function (key) { return wanted.indexOf(key) >= 0; });
      if (keys.length) {
        filters[facet.param] = keys;
      }
    });
    var sort = params.get("sort") || "";
    if (sort !== "relevance" && sorts.indexOf(sort) < 0) {
      sort = "";
    }
    var pages = parseInt(params.get("page") || "1", 10);
    state = {
      q: (params.get("q") || "").trim(),
      filters: filters,
      sort: sort,
      pages: pages >= 1 && pages <= 1000 ? pages : 1,
    };
  }

  /** The order results are in: the reader's choice, else relevance with a query. */
  function effectiveSort(s) {
    if (s.sort === "relevance" || !s.sort) {
      return s.q ? "relevance" : sorts[0];
    }
    return s.sort;
  }

  function queryString(s) {
    var params = new URLSearchParams();
    if (s.q) {
      params.set("q", s.q);
    }
    facets.forEach(function (facet) {
      (s.filters[facet.param] || []).forEach(function (key) { params.append(facet.param, key); });
    });
    var sort = effectiveSort(s);
    if (sort !== (s.q ? "relevance" : sorts[0])) {
      params.set("sort", sort);
    }
    if (s.pages > 1) {
      params.set("page", String(s.pages));
    }
    var text = params.toString();
    return text ? "?" + text : "";
  }

  var lastWrite = "";

  function writeUrl(kind) {
    var url = window.location.pathname + queryString(state) + window.location.hash;
    var here = window.location.pathname + window.location.search + window.location.hash;
    if (url !== here) {
      // Typing replaces the entry its first key press added.
      if (kind === "typing" && lastWrite === "typing") {
        window.history.replaceState(null, "", url);
      } else if (kind === "more") {
        window.history.replaceState(null, "", url);
      } else {
        window.history.pushState(null, "", url);
      }
    }
    if (kind !== "more") {
      lastWrite = kind;
    }
    updateLanguageLinks();
  }

  /** Material's language selector: the same view in the other language. */
  function updateLanguageLinks() {
    var links = document.querySelectorAll("a.md-select__link[hreflang]");
    Array.prototype.forEach.call(links, function (link) {
      if (!link.hasAttribute("data-casebook-href")) {
        link.setAttribute("data-casebook-href", link.getAttribute("href") || "");
      }
      var target = new URL(link.getAttribute("data-casebook-href"), window.location.href);
      if (target.origin !== window.location.origin) {
        return;
      }
      target.search = queryString(state);
      link.setAttribute("href", target.pathname + target.search + target.hash);
    });
  }

  // --- controls -----------------------------------------------------------------------

  function checkboxes(param) {
    return root.querySelectorAll('.casebook-facet[data-param="' + param + '"] input[type=checkbox]');
  }

  function activeCount() {
    return facets.reduce(function (n, facet) {
      return n + (state.filters[facet.param] || []).length;
    }, 0);
  }

  function syncControls() {
    if (input.value.trim() !== state.q) {
      input.value = state.q;
    }
    Array.prototype.forEach.call(root.querySelectorAll(".casebook-facet__more"), function (b) {
      if (b.getAttribute("aria-expanded") === "false") {
        window.setTimeout(function () { fold(b, true); }, 0);  // its count of hidden values
      }
    });
    facets.forEach(function (facet) {
      var chosen = state.filters[facet.param] || [];
      Array.prototype.forEach.call(checkboxes(facet.param), function (box) {
        box.checked = chosen.indexOf(box.value) >= 0;
      });
    });
    var relevance = sortSelect.querySelector('option[value="relevance"]');
    relevance.disabled = !state.q;
    relevance.hidden = !state.q;
    sortSelect.value = effectiveSort(state);
    renderChips();
  }

  function renderChips() {
    var focusedChip = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".casebook-search__chip") : null;
    chipList.textContent = "";
    facets.forEach(function (facet) {
      (state.filters[facet.param] || []).forEach(function (key) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        var name = facet.name + ": " + labels[facet.param][key];
        button.type = "button";
        button.className = "casebook-search__chip";
        button.setAttribute("data-param", facet.param);
        button.setAttribute("data-key", key);
        button.setAttribute("aria-label", format(strings.remove_filter, { name: name }));
        button.appendChild(document.createTextNode(name));
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.className = "casebook-search__chip-remove";
        cross.textContent = "\u00d7";
        button.appendChild(cross);
        item.appendChild(button);
        chipList.appendChild(item);
      });
    });
    var count = activeCount();
    chips.hidden = count === 0;
    activeBadge.hidden = count === 0;
    activeBadge.textContent = count ? format(strings.filters_active, { count: count }) : "";
    if (focusedChip && !chipList.contains(document.activeElement)) {
      input.focus();
    }
  }

  function renderCounts(counts) {
    facets.forEach(function (facet) {
      var chosen = state.filters[facet.param] || [];
      var own = counts[facet.param] || {};
      Array.prototype.forEach.call(checkboxes(facet.param), function (box) {
        var n = own[box.value] || 0;
        var label = box.parentNode.querySelector(".casebook-facet__count");
        label.textContent = String(n);
        box.disabled = n === 0 && chosen.indexOf(box.value) < 0;
      });
    });
  }

  function renderCount(total) {
    var text = total === 0 ? strings.results_none
      : total === 1 ? strings.results_one : format(strings.results_many, { count: total });
    if (countElement.textContent !== text) {
      countElement.textContent = text;
    }
  }

  // --- results ------------------------------------------------------------------------

  function words(text) {
    return (text || "").split(/[\r\n\s]+/g);
  }

  function loose(word) {
    return (word || "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  }

  /** Number of leading content words that are the page title (not shown again). */
  function titleLength(contentWords, title) {
    var titleWords = words(title).filter(Boolean);
    if (!titleWords.length || loose(contentWords[0]) !== loose(titleWords[0])) {
      return 0;
    }
    return titleWords.length;
  }

  /** The densest window of matches after the title, as Pagefind chooses its excerpt. */
  function window_(locations, from, total) {
    var weight = {};
    locations.forEach(function (loc) {
      weight[loc.location] = (weight[loc.location] || 0) + loc.balanced_score;
    });
    var last = Math.max(from, total - EXCERPT_WORDS);
    var best = -1;
    var bestStarts = [];
    for (var start = from; start <= last; start++) {
      var sum = 0;
      for (var i = start; i < start + EXCERPT_WORDS; i++) {
        sum += weight[i] || 0;
      }
      if (sum > best) {
        best = sum;
        bestStarts = [start];
      } else if (sum === best && bestStarts[bestStarts.length - 1] === start - 1) {
        bestStarts.push(start);
      }
    }
    return bestStarts[Math.floor(bestStarts.length / 2)];
  }

  /** The word of the shown text that holds the compound part at ``location`` of the
   * whole content: the first that ends with it (a plural ending allowed), else the
   * first that holds it (-1 when none does). */
  function compoundOf(content, skip, whole, location) {
    var part = loose(words(whole)[location]);
    if (!part) {
      return -1;
    }
    var holds = -1;
    for (var i = skip; i < content.length; i++) {
      var word = loose(content[i]);
      var at = word.lastIndexOf(part);
      if (at > 0 && word.length - at - part.length <= 2) {
        return i;
      }
      if (at !== -1 && holds === -1) {
        holds = i;
      }
    }
    return holds;
  }

  function excerpt(data, term) {
    var paragraph = document.createElement("p");
    paragraph.className = "casebook-result__excerpt";
    var meta = data.meta || {};
    var content = words(data.content);
    // The last words are the parts of the page's compounds (casebook.site.compounds),
    // indexed but never shown: a hit on one marks the compound it is part of.
    var parts = parseInt(meta.parts || "0", 10) || 0;
    content = content.slice(0, Math.max(0, content.length - parts));
    var skip = titleLength(content, meta.title);
    var hits = [];
    (data.weighted_locations || []).forEach(function (loc) {
      var at = loc.location;
      if (at >= content.length) {
        at = compoundOf(content, skip, data.content, loc.location);
      }
      if (at >= skip) {
        hits.push({ location: at, balanced_score: loc.balanced_score });
      }
    });
    if (term && hits.length) {
      var start = window_(hits, skip, content.length);
      var end = Math.min(content.length, start + EXCERPT_WORDS);
      var marked = {};
      hits.forEach(function (loc) { marked[loc.location] = true; });
      if (start > skip) {
        paragraph.appendChild(document.createTextNode("\u2026 "));
      }
      for (var i = start; i < end; i++) {
        var text = content[i] + (i < end - 1 ? " " : "");
        if (marked[i]) {
          var mark = document.createElement("mark");
          mark.textContent = content[i];
          paragraph.appendChild(mark);
          if (i < end - 1) {
            paragraph.appendChild(document.createTextNode(" "));
          }
        } else {
          paragraph.appendChild(document.createTextNode(text));
        }
      }
      if (end < content.length) {
        paragraph.appendChild(document.createTextNode(" \u2026"));
      }
      return paragraph;
    }
    if (meta.summary) {
      paragraph.textContent = meta.summary;
    } else {
      var rest = content.slice(skip, skip + EXCERPT_WORDS);
      paragraph.textContent = rest.join(" ") + (skip + EXCERPT_WORDS < content.length ? " \u2026" : "");
    }
    return paragraph;
  }

  function resultItem(data, term) {
    var meta = data.meta || {};
    var item = document.createElement("li");
    item.className = "casebook-result";
    var heading = document.createElement("h3");
    heading.className = "casebook-result__title";
    var link = document.createElement("a");
    link.className = "casebook-result__link";
    link.href = data.url;
    link.textContent = meta.title || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [meta.kind, meta.organisations, meta.countries, meta.period].filter(Boolean);
    if (facts.length) {
      var line = document.createElement("p");
      line.className = "casebook-result__facts";
      facts.forEach(function (fact, n) {
        if (n) {
          var dot = document.createElement("span");
          dot.setAttribute("aria-hidden", "true");
          dot.textContent = " \u00b7 ";
          line.appendChild(dot);
        }
        var span = document.createElement("span");
        span.textContent = fact;
        line.appendChild(span);
      });
      item.appendChild(line);
    }
    var text = excerpt(data, term);
    item.appendChild(text);
    if (meta.lang) {  // an entry not translated yet: its text is in another language
      heading.setAttribute("lang", meta.lang);
      text.setAttribute("lang", meta.lang);
    }
    return item;
  }

  // --- searching ----------------------------------------------------------------------

  // The index of this language (casebook-search-index.js): Pagefind finds the pages
  // a query matches; the list of pages beside it filters, counts and sorts them.
  var searchIndex = window.CasebookSearchIndex.open({
    bundle: bundle,
    worker: root.getAttribute("data-worker"),
    params: facets.map(function (facet) { return facet.param; }),
    prefetch: FIRST_DRAWN,
  });

  var generation = 0;
  var current = { view: null, shown: 0, term: null };

  function range(from, to) {
    var out = [];
    for (var n = from; n < to; n++) {
      out.push(n);
    }
    return out;
  }

  // One search at a time: a worker answers in order, so searches for every key
  // pressed while one runs would queue up in front of the last one. While one
  // runs, only the latest wish is kept, and run when it is done.
  var running = false;
  var wanted = false;

  function run() {
    if (running) {
      wanted = true;
      ++generation;  // what is running now is out of date
      root.setAttribute("data-state", "searching");
      return Promise.resolve();
    }
    running = true;
    return search().then(function () {
      running = false;
      if (wanted) {
        wanted = false;
        return run();
      }
      return null;
    });
  }

  function search() {
    var mine = ++generation;
    var s = { q: state.q, filters: state.filters, sort: state.sort, pages: state.pages };
    var term = s.q ? s.q : null;
    root.setAttribute("data-state", "searching");
    return searchIndex.view(term, s.filters, effectiveSort(s)).then(function (v) {
      if (mine !== generation) {
        return null;
      }
      var total = v.pages.length;
      var shownNow = Math.min(total, s.pages * pageSize);
      // The first few are drawn as soon as they are fetched, the rest of the page
      // after them: a reader sees results sooner than a whole page takes.
      var head = Math.min(shownNow, FIRST_DRAWN);
      return Promise.all(range(0, head).map(v.data)).then(function (data) {
        if (mine !== generation) {
          return null;
        }
        current = { view: v, shown: data.length, term: term };
        renderCounts(v.counts);
        renderCount(total);
        list.textContent = "";
        list.setAttribute("data-query", term || "");  // whose results these are
        data.forEach(function (d) { list.appendChild(resultItem(d, term)); });
        moreButton.hidden = true;
        renderNone(v, term, s, mine);
        csvLink.hidden = total === 0;
        csvLink.textContent = strings.csv;
        return Promise.all(range(head, shownNow).map(v.data)).then(function (more) {
          if (mine !== generation) {
            return;
          }
          more.forEach(function (d) { list.appendChild(resultItem(d, term)); });
          current.shown += more.length;
          moreButton.hidden = total <= current.shown;
          root.setAttribute("data-state", "ready");
        });
      });
    }).catch(function (error) {
      if (mine === generation) {
        countElement.textContent = strings.failed;
        root.setAttribute("data-state", "failed");
      }
      if (window.console) {
        window.console.error(error);
      }
    });
  }

  // --- nothing found: a spelling from the index's own words, a filter to drop -------

  var wordList = null;

  /** The index's words, on most pages first (written by the build), fetched once. */
  function indexWords() {
    if (!wordList) {
      wordList = fetch(bundle + "casebook-words.json").then(function (response) {
        if (!response.ok) {
          throw new Error("casebook-words.json: " + response.status);
        }
        return response.json();
      }).then(function (list) {
        return { list: list, known: new Set(list) };
      });
    }
    return wordList;
  }

  /** Edit distance (a letter wrong, missing, added, or two swapped), or limit + 1. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) {
      return limit + 1;
    }
    var before = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) {
      prev.push(j);
    }
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var d = Math.min(prev[k] + 1, row[k - 1] + 1, prev[k - 1] + cost);
        if (before && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          d = Math.min(d, before[k - 2] + 1);
        }
        row.push(d);
        best = Math.min(best, d);
      }
      if (best > limit) {
        return limit + 1;
      }
      before = prev;
      prev = row;
    }
    return prev[b.length];
  }

  /** The query with each word the index does not know replaced by the nearest word
   * it does (the more frequent one on a tie); null when nothing changes. */
  function corrected(term) {
    return indexWords().then(function (words) {
      var changed = false;
      var out = term.toLowerCase().split(/\s+/).filter(Boolean).map(function (word) {
        if (word.length < 3 || words.known.has(word) || /[^a-z\u00c0-\u024f]/i.test(word)) {
          return word;
        }
        var limit = word.length <= 5 ? 1 : 2;
        var best = null;
        var bestDistance = limit + 1;
        for (var n = 0; n < words.list.length && bestDistance > 1; n++) {
          var d = distance(word, words.list[n], Math.min(limit, bestDistance - 1));
          if (d < bestDistance) {
            best = words.list[n];
            bestDistance = d;
          }
        }
        if (best) {
          changed = true;
          return best;
        }
        return word;
      });
      return changed ? out.join(" ") : null;
    }).catch(function () { return null; });
  }

  function countText(total) {
    return total === 1 ? strings.results_one : format(strings.results_many, { count: total });
  }

  function wayOut(text, next) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = window.location.pathname + queryString(next);
    link.textContent = text;
    link.setAttribute("data-casebook-try", "");
    item.appendChild(link);
    return item;
  }

  /** When a view finds nothing: what would find something (each checked by a search). */
  function renderNone(v, term, s, mine) {
    noneList.textContent = "";
    noneBox.hidden = v.pages.length > 0;
    if (v.pages.length) {
      return;
    }
    var sort = effectiveSort(s);
    var tries = [];
    if (term) {
      tries.push(corrected(term).then(function (q) {
        return !q ? null : searchIndex.view(q, s.filters, "relevance").then(function (w) {
          return w.pages.length ? wayOut(format(strings.did_you_mean, {
            query: q, results: countText(w.pages.length) }),
          { q: q, filters: s.filters, sort: "", pages: 1 }) : null;
        });
      }));
    }
    facets.forEach(function (facet) {
      (s.filters[facet.param] || []).forEach(function (key) {
        var filters = {};
        Object.keys(s.filters).forEach(function (param) {
          var keys = s.filters[param].filter(function (k) {
            return param !== facet.param || k !== key;
          });
          if (keys.length) {
            filters[param] = keys;
          }
        });
        tries.push(searchIndex.view(term, filters, sort).then(function (w) {
          return w.pages.length ? wayOut(format(strings.drop_filter, {
            name: facet.name + ": " + labels[facet.param][key],
            results: countText(w.pages.length) }),
          { q: s.q, filters: filters, sort: s.sort, pages: 1 }) : null;
        }));
      });
    });
    Promise.all(tries).then(function (items) {
      if (mine !== generation) {
        return;
      }
      items.forEach(function (item) {
        if (item) {
          noneList.appendChild(item);
        }
      });
    }).catch(function () { return null; });
  }

  noneList.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-casebook-try]") : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    window.history.pushState(null, "", link.getAttribute("href"));
    readUrl();
    syncControls();
    lastWrite = "";
    updateLanguageLinks();
    input.focus();
    run();
  });

  // --- the matches as CSV -------------------------------------------------------------

  /** The records of a CSV text (a quoted field may hold line breaks), each with its
   * line ending. */
  function csvRecords(text) {
    var out = [];
    var start = 0;
    var quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 34) {
        quoted = !quoted;
      } else if (c === 10 && !quoted) {
        out.push(text.slice(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length) {
      out.push(text.slice(start));
    }
    return out;
  }

  function firstField(record) {
    if (record.charAt(0) !== '"') {
      return record.split(/[,\r\n]/)[0];
    }
    var value = "";
    for (var i = 1; i < record.length; i++) {
      if (record.charAt(i) === '"') {
        if (record.charAt(i + 1) !== '"') {
          break;
        }
        i += 1;
      }
      value += record.charAt(i);
    }
    return value;
  }

  /** The rows of /data/cases.csv (same columns, same spreadsheet-safe cells) of the
   * cases the current view shows, in its order. */
  function matchesCsv() {
    var v = current.view;
    var pages = v ? v.pages : [];
    return Promise.all([
      fetch(bundle + "casebook-urls.json").then(function (r) { return r.json(); }),
      fetch(csvLink.getAttribute("href")).then(function (r) { return r.text(); }),
    ]).then(function (both) {
      var urls = both[0];
      var records = csvRecords(both[1]);
      var byId = new Map();
      records.slice(1).forEach(function (record) { byId.set(firstField(record), record); });
      var rows = [records[0]];
      pages.forEach(function (page) {
        var found = /(?:^|\/)cases\/([^/]+)\/$/.exec(urls[page.id] || "");
        if (found && byId.has(found[1])) {
          rows.push(byId.get(found[1]));
        }
      });
      return rows.join("");
    });
  }

  csvLink.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    matchesCsv().then(function (text) {
      var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      var save = document.createElement("a");
      save.href = url;
      save.download = csvLink.getAttribute("download") || "cases.csv";
      document.body.appendChild(save);
      save.click();
      save.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).catch(function (error) {
      if (window.console) {
        window.console.error(error);
      }
      window.location.href = csvLink.getAttribute("href");
    });
  });

  // --- keyboard: past the filters, and long filter groups folded ----------------------

  skipLink.addEventListener("click", function (event) {
    event.preventDefault();
    results.focus();
    results.scrollIntoView();
  });

  function fold(button, folded) {
    var group = button.closest(".casebook-facet");
    group.classList.toggle("casebook-facet--folded", folded);
    button.setAttribute("aria-expanded", folded ? "false" : "true");
    var hidden = Array.prototype.filter.call(group.querySelectorAll(".casebook-facet__extra"),
      function (item) { return !item.querySelector("input:checked"); }).length;
    button.textContent = folded ? format(strings.more_values, { count: hidden })
      : strings.fewer_values;
    button.hidden = hidden === 0 && folded;
  }

  Array.prototype.forEach.call(root.querySelectorAll(".casebook-facet__more"), function (button) {
    button.hidden = false;
    fold(button, true);
    button.addEventListener("click", function () {
      fold(button, button.getAttribute("aria-expanded") === "true");
    });
  });

  function more() {
    var mine = generation;
    var v = current.view;
    if (!v) {
      return;
    }
    var next = range(current.shown, Math.min(v.pages.length, current.shown + pageSize));
    if (!next.length) {
      return;
    }
    moreButton.disabled = true;
    Promise.all(next.map(v.data)).then(function (data) {
      moreButton.disabled = false;
      if (mine !== generation) {
        return;
      }
      var firstNew = null;
      data.forEach(function (d) {
        var item = resultItem(d, current.term);
        firstNew = firstNew || item;
        list.appendChild(item);
      });
      current.shown += data.length;
      state.pages = Math.ceil(current.shown / pageSize);
      writeUrl("more");
      moreButton.hidden = v.pages.length <= current.shown;
      // The button is gone: focus goes on to the first result it brought.
      if (moreButton.hidden && firstNew) {
        firstNew.querySelector("a").focus();
      }
    }).catch(function (error) {
      moreButton.disabled = false;
      if (window.console) {
        window.console.error(error);
      }
    });
  }

  // --- events -------------------------------------------------------------------------

  var typingTimer = 0;

  input.addEventListener("input", function () {
    var q = input.value.trim();
    if (q === state.q) {
      return;
    }
    if (q && !state.q) {
      state.sort = "";  // a new query: by relevance, as search engines do
    }
    state.q = q;
    state.pages = 1;
    syncControls();
    writeUrl("typing");
    window.clearTimeout(typingTimer);
    root.setAttribute("data-state", "searching");
    // Fetch the index chunks of the words while the pause after the keystroke runs;
    // not for a last word of one or two letters, which could begin with a large
    // part of the index (every chunk its words could be in).
    if (q && /\S{3,}$/.test(q)) {
      searchIndex.preload(q);
    }
    typingTimer = window.setTimeout(run, config.debounce || 100);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(typingTimer);
    run();
  });

  // The header's search box on this page searches here, keeping filters and order.
  var headerBox = document.querySelector("form[data-casebook-search-box]");
  if (headerBox) {
    headerBox.addEventListener("submit", function (event) {
      var field = headerBox.querySelector("input[name=q]");
      event.preventDefault();
      input.value = field ? field.value : "";
      input.dispatchEvent(new Event("input"));
      window.clearTimeout(typingTimer);
      lastWrite = "";
      run();
    });
  }

  root.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(".casebook-facet input[type=checkbox]")) {
      return;
    }
    var param = box.name;
    var keys = Array.prototype.filter.call(checkboxes(param), function (b) { return b.checked; })
      .map(function (b) { return b.value; });
    if (keys.length) {
      state.filters[param] = keys;
    } else {
      delete state.filters[param];
    }
    state.pages = 1;
    renderChips();
    writeUrl("filter");
    run();
  });

  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    state.pages = 1;
    writeUrl("sort");
    run();
  });

  chipList.addEventListener("click", function (event) {
    var chip = event.target.closest ? event.target.closest(".casebook-search__chip") : null;
    if (!chip) {
      return;
    }
    var param = chip.getAttribute("data-param");
    var key = chip.getAttribute("data-key");
    var chipsBefore = Array.prototype.slice.call(chipList.querySelectorAll("button"));
    var at = chipsBefore.indexOf(chip);
    state.filters[param] = (state.filters[param] || []).filter(function (k) { return k !== key; });
    if (!state.filters[param].length) {
      delete state.filters[param];
    }
    state.pages = 1;
    syncControls();
    // Focus moves to the chip that took its place, else the previous one, else "filters".
    var left = chipList.querySelectorAll("button");
    if (left.length) {
      left[Math.min(at, left.length - 1)].focus();
    } else {
      filterPane.querySelector("summary").focus();
    }
    writeUrl("filter");
    run();
  });

  clearButton.addEventListener("click", function () {
    state.filters = {};
    state.pages = 1;
    syncControls();
    filterPane.querySelector("summary").focus();
    writeUrl("filter");
    run();
  });

  moreButton.addEventListener("click", more);

  window.addEventListener("popstate", function () {
    readUrl();
    syncControls();
    lastWrite = "";
    updateLanguageLinks();
    run();
  });

  // Filters open beside the results on a wide screen; on a phone they are a
  // closed panel below the query, so the first results are on the first screen.
  var wide = window.matchMedia ? window.matchMedia("(min-width: 45em)") : null;
  if (wide && wide.matches) {
    filterPane.open = true;
  }
  if (wide && wide.addEventListener) {
    wide.addEventListener("change", function () {
      if (wide.matches) {
        filterPane.open = true;
      }
    });
  }

  readUrl();
  // Someone who typed before the script ran keeps their query.
  if (input.value.trim() && !state.q) {
    state.q = input.value.trim();
  }
  syncControls();
  updateLanguageLinks();
  run();
})();
