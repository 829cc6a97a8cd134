/* Casebook search index: the pages a query matches, filtered, counted and sorted.
 *
 * casebook-index.json (casebook.pagefind_index) lists a language's index shards
 * and, for every page, its shard, its rank in each order and its filter values.
 * Filtering, counting and sorting happen here, on that list; Pagefind (its
 * index loaded in chunks, stemmed per language) finds the pages a query
 * matches, with their relevance and excerpts, in search workers
 * (casebook-search-worker.js) or, without them, on the page. Browsing without
 * a query needs no Pagefind search at all: Pagefind's own filter-only search
 * fetches every chunk of the index.
 *
 * window.CasebookSearchIndex.open({bundle, worker, params, prefetch}) gives
 * {view(term, filters, sort), preload(term)}: view resolves to {pages, counts,
 * data(n)}, the pages in order, the count of each filter value ({param: {key:
 * n}} for the facets ``params``) and the n-th page's Pagefind fragment. The
 * search page (casebook-search.js) draws them.
 */
(function () {
  "use strict";

  function open(options) {
    var bundle = options.bundle;
    function bundleUrl(path) {
      return new URL(bundle + path, window.location.href).href;
    }
    // A shard's path on this site: Pagefind links its results from the folder of
    // the path (an absolute URL would make every result link absolute).
    function bundlePath(path) {
      return new URL(bundleUrl(path)).pathname;
    }
    var siteBase = bundlePath("").replace(/_?pagefind\/$/, "");

    var catalogue = window.fetch(bundleUrl("casebook-index.json"))
      .then(function (response) {
        if (!response.ok) {
          throw new Error("casebook-index.json: " + response.status);
        }
        return response.json();
      })
      .then(readCatalogue);

    /**
     * The pages of the index, each {id, shard, ranks, filters: [filter number],
     * partsFrom: the word location where its compound parts start, or null}, and
     * the filters, each [param, key].
     */
    function readCatalogue(index) {
      var filters = index.filters.map(function (text) {
        var colon = text.indexOf(":");
        return [text.slice(0, colon), text.slice(colon + 1)];
      });
      var number = {};
      filters.forEach(function (pair, n) { number[pair[0] + ":" + pair[1]] = n; });
      var pages = [];
      var byId = new Map();
      Object.keys(index.pages).forEach(function (id) {
        var entry = index.pages[id];
        var page = { id: id, shard: entry[0], ranks: entry[1], filters: entry[2],
                     partsFrom: entry[3] === undefined ? null : entry[3] };
        pages.push(page);
        byId.set(id, page);
      });
      return { index: index, pages: pages, byId: byId, orders: {}, filters: filters,
               number: number };
    }

    /** Every page that has a rank in ``sort``, in its order (made once per order). */
    function inOrder(cat, sort) {
      if (!cat.orders[sort]) {
        var column = cat.index.sorts.indexOf(sort);
        cat.orders[sort] = cat.pages.filter(function (page) {
          return page.ranks[column] !== null && page.ranks[column] !== undefined;
        }).sort(function (a, b) { return a.ranks[column] - b.ranks[column]; });
      }
      return cat.orders[sort];
    }

    /**
     * The pages of ``ordered`` that the filters let through (OR within a facet, AND
     * across facets), and the counts each value shows: for a facet without a
     * choice, among those pages; for a facet with one, among the pages the other
     * facets' choices let through (what ticking it would add).
     */
    function facetted(cat, ordered, chosen) {
      // Each chosen value's facet, by filter number (-1: not chosen); a page passes
      // a facet when one of its values is chosen in it.
      var facetOf = new Int8Array(cat.filters.length).fill(-1);
      var params = Object.keys(chosen).filter(function (param) { return chosen[param].length; });
      params.forEach(function (param, f) {
        chosen[param].forEach(function (key) {
          var n = cat.number[param + ":" + key];
          if (n !== undefined) {
            facetOf[n] = f;
          }
        });
      });
      var facetOfParam = {};
      params.forEach(function (param, f) { facetOfParam[param] = f; });
      var paramFacet = new Int8Array(cat.filters.length).fill(-1);
      cat.filters.forEach(function (pair, n) {
        if (facetOfParam[pair[0]] !== undefined) {
          paramFacet[n] = facetOfParam[pair[0]];
        }
      });
      var all = (1 << params.length) - 1;
      var counts = new Int32Array(cat.filters.length);
      var shown = [];
      for (var p = 0; p < ordered.length; p++) {
        var own = ordered[p].filters;
        var passed = 0;
        for (var i = 0; i < own.length; i++) {
          if (facetOf[own[i]] >= 0) {
            passed |= 1 << facetOf[own[i]];
          }
        }
        var missing = all & ~passed;
        if (!missing) {
          shown.push(ordered[p]);
          for (i = 0; i < own.length; i++) {
            counts[own[i]]++;
          }
        } else if (!(missing & (missing - 1))) {  // one facet missing: count its values
          var failed = 31 - Math.clz32(missing);
          for (i = 0; i < own.length; i++) {
            if (paramFacet[own[i]] === failed) {
              counts[own[i]]++;
            }
          }
        }
      }
      var byParam = {};
      options.params.forEach(function (param) { byParam[param] = {}; });
      cat.filters.forEach(function (pair, n) {
        if (counts[n] && byParam[pair[0]]) {
          byParam[pair[0]][pair[1]] = counts[n];
        }
      });
      return { pages: shown, counts: byParam };
    }

    // Pagefind runs in search workers: the shards in groups, one module worker per
    // group (casebook-search-worker.js, each with its own Pagefind), searched in
    // parallel. Without them (no module workers, or their script failing), Pagefind
    // runs from the page. Either way, find(term) gives the matching pages' ids and
    // scores, best first, and fragment(search, id) a result's fragment.
    var finder = catalogue.then(function (cat) {
      return workerFinder(cat.index).catch(function (error) {
        if (window.console) {
          window.console.warn("Casebook search: searching on the page (" + error + ")");
        }
        return pageFinder(cat.index);
      });
    });

    // A match found only in a page's compound parts (casebook.site.compounds: the
    // last words of its content, from partsFrom on) ranks below every match in a
    // page's own words: tier 1 against 0, whatever Pagefind's score says.
    var partsFrom = null;
    function tier(index, id, first) {
      if (!partsFrom) {
        partsFrom = new Map();
        Object.keys(index.pages).forEach(function (key) {
          var at = index.pages[key][3];
          if (at !== null && at !== undefined) {
            partsFrom.set(key, at);
          }
        });
      }
      var at = partsFrom.get(id);
      return at !== undefined && first >= at ? 1 : 0;
    }
    function byTierThenScore(a, b) {
      return a.tier - b.tier || b.score - a.score || a.owner - b.owner || a.place - b.place;
    }

    function workerFinder(index) {
      var groups = index.workers;
      var script = options.worker;
      if (!groups || !groups.length || !script || !window.Worker) {
        return Promise.reject(new Error("no search workers"));
      }
      var pending = new Map();
      var number = 0;
      var workers = groups.map(function () {
        var worker = new Worker(new URL(script, window.location.href).href, { type: "module" });
        worker.addEventListener("message", function (event) {
          var waiting = pending.get(event.data.id);
          if (waiting) {
            pending.delete(event.data.id);
            if (event.data.error) {
              waiting.reject(new Error(event.data.error));
            } else {
              waiting.resolve(event.data.result);
            }
          }
        });
        worker.addEventListener("error", function (event) {
          event.preventDefault();
          pending.forEach(function (waiting) { waiting.reject(new Error("search worker failed")); });
          pending.clear();
        });
        return worker;
      });
      function call(worker, message) {
        return new Promise(function (resolve, reject) {
          message.id = ++number;
          pending.set(message.id, { resolve: resolve, reject: reject });
          worker.postMessage(message);
        });
      }
      var started = Promise.all(workers.map(function (worker, n) {
        return call(worker, {
          type: "init", pagefind: bundleUrl("pagefind.js"), bundles: groups[n].map(bundlePath),
        });
      }));
      return started.catch(function (error) {
        workers.forEach(function (worker) { worker.terminate(); });
        throw error;
      }).then(function () {
        return {
          preload: function (term) {
            workers.forEach(function (worker) {
              worker.postMessage({ type: "preload", term: term });
            });
          },
          find: function (term) {
            return Promise.all(workers.map(function (worker) {
              return call(worker, { type: "search", term: term, prefetch: options.prefetch || 0 });
            })).then(function (parts) {
              parts.forEach(function (part) { part.ids = part.ids ? part.ids.split(" ") : []; });
              // Each part is best first: merge them by tier (exact matches before
              // compound-only ones), then score; on equal scores the earlier group first.
              var all = [];
              parts.forEach(function (part, owner) {
                part.ids.forEach(function (id, place) {
                  all.push({ owner: owner, place: place, score: part.scores[place],
                             tier: tier(index, id, part.firsts[place]) });
                });
              });
              all.sort(byTierThenScore);
              var ids = all.map(function (r) { return parts[r.owner].ids[r.place]; });
              var owners = all.map(function (r) { return r.owner; });
              var places = all.map(function (r) { return r.place; });
              return {
                ids: ids,
                fragment: function (n) {
                  var part = parts[owners[n]];
                  return call(workers[owners[n]], {
                    type: "data", search: part.search, places: [places[n]],
                  }).then(function (data) { return data[0]; });
                },
              };
            });
          },
        };
      });
    }

    function pageFinder(index) {
      return import(bundleUrl("pagefind.js")).then(function (module) {
        return Promise.all(index.shards.map(function (path) {
          return module.mergeIndex(bundlePath(path));
        })).then(function () {
          return {
            preload: function (term) {
              module.preload(term).catch(function () { return null; });
            },
            find: function (term) {
              return module.search(term).then(function (found) {
                var ranked = found.results.map(function (result, place) {
                  var low = Infinity;
                  (result.words || []).forEach(function (at) { low = at < low ? at : low; });
                  return { result: result, place: place, owner: 0, score: result.score,
                           tier: tier(index, result.id, low === Infinity ? 0 : low) };
                });
                ranked.sort(byTierThenScore);
                var results = ranked.map(function (r) { return r.result; });
                return {
                  ids: results.map(function (r) { return r.id; }),
                  fragment: function (n) { return results[n].data(); },
                };
              });
            },
          };
        });
      });
    }

    var fragments = new Map();  // page id: its fragment, once fetched

    /** A page's fragment as Pagefind writes it, for a page listed without a query. */
    function ownFragment(cat, page) {
      var known = fragments.get(page.id);
      if (!known) {
        known = fetchFragment(cat, page);
        known.catch(function () { fragments.delete(page.id); });
        fragments.set(page.id, known);
      }
      return known;
    }

    function fetchFragment(cat, page) {
      var path = page.shard ? cat.index.shards[page.shard - 1] : "";
      return window.fetch(bundleUrl(path + "fragment/" + page.id + ".pf_fragment"))
        .then(function (response) {
          if (!response.ok) {
            throw new Error(page.id + ": " + response.status);
          }
          var body = response.body.pipeThrough(new window.DecompressionStream("gzip"));
          return new Response(body).text();
        })
        .then(function (text) {
          var data = JSON.parse(text.replace(/^pagefind_dcd/, ""));
          data.url = (siteBase + "/" + data.url).replace(/\/+/g, "/");
          return data;
        });
    }

    // Recent queries' matches (a filter or order change with the same query reuses them).
    var found = new Map();
    var KEPT = 12;

    function matches(term) {
      var hit = found.get(term);
      if (hit) {
        found.delete(term);  // most recently used last
      } else {
        hit = finder.then(function (f) { return f.find(term); });
        hit.catch(function () { found.delete(term); });
      }
      found.set(term, hit);
      while (found.size > KEPT) {
        found.delete(found.keys().next().value);
      }
      return hit;
    }

    /**
     * The results of a view: {pages, counts, data(n)}: the query's matches (all
     * pages without one) the filters let through, in the order asked for.
     */
    function view(term, filters, sort) {
      return catalogue.then(function (cat) {
        if (!term) {
          var listed = facetted(cat, inOrder(cat, sort), filters);
          listed.data = function (n) { return ownFragment(cat, listed.pages[n]); };
          return listed;
        }
        return matches(term).then(function (match) {
          if (!match.pages) {  // once per query: its pages, best first
            match.where = new Map();
            match.pages = [];
            match.ids.forEach(function (id, n) {
              var page = cat.byId.get(id);
              if (page) {
                match.where.set(page, n);
                match.pages.push(page);
              }
            });
          }
          var ordered = sort === "relevance" ? match.pages :
            inOrder(cat, sort).filter(function (page) { return match.where.has(page); });
          var result = facetted(cat, ordered, filters);
          result.data = function (n) { return match.fragment(match.where.get(result.pages[n])); };
          return result;
        });
      });
    }

    return {
      view: view,
      preload: function (term) {
        finder.then(function (f) { f.preload(term); }).catch(function () { return null; });
      },
    };
  }

  window.CasebookSearchIndex = { open: open };
})();
