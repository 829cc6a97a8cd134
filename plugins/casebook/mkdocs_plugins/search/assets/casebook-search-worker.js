/* Casebook search worker: Pagefind on a group of index shards, off the page.
 *
 * The search page (casebook-search.js) starts one of these module workers per
 * group of shards that casebook-index.json lists (casebook.pagefind_index), so
 * the shards are searched in parallel, each worker with its own Pagefind and
 * WebAssembly. A worker answers a query with what the page needs and no more:
 * the ids of the pages it matches and their scores, best first (the page
 * merges the groups' lists, and filters and sorts them itself); the fragments
 * of the results it shows are asked for by id afterwards.
 *
 * Messages in: {id, type: "init", pagefind, bundles}, {type: "preload", term},
 * {id, type: "search", term, prefetch} (prefetch: how many of the best results'
 * fragments to start loading at once), {id, type: "data", search, places}
 * (places: positions in that search's results). Answers: {id, result} or
 * {id, error}; a search's result is {ids (one string, space-separated), scores,
 * firsts (each result's first matching word location, for the page to tell a
 * match in the page's own words from one in its compound parts), search (its
 * number, for "data")}.
 */
let pagefind = null;
// Recent searches' results by search number, for their fragments (a fragment's
// excerpt depends on the words the search found).
const searches = new Map();
const KEPT = 32;
let searchNumber = 0;

async function init(message) {
  pagefind = await import(message.pagefind);
  await pagefind.options({ basePath: message.bundles[0] });
  for (const bundle of message.bundles.slice(1)) {
    await pagefind.mergeIndex(bundle);
  }
  return true;
}

// The first search of a worker takes about twice as long as later ones: the
// WebAssembly and scripts are compiled for speed once they have run. So once
// the reader has typed enough for a preload (casebook-search.js), the worker
// also searches for that, once: it is faster when the pause after typing
// comes, and if the reader stopped there its answer is ready.
let warmed = false;
let early = null;  // {term, found}

function warmUp(term) {
  if (!warmed) {
    warmed = true;
    early = { term, found: pagefind.search(term) };
    early.found.catch(() => { early = null; });
  }
}

// The first (lowest) word location of a match; 0 when Pagefind gives none.
function first(words) {
  let low = Infinity;
  for (const at of words || []) {
    low = at < low ? at : low;
  }
  return low === Infinity ? 0 : low;
}

async function search(message) {
  warmed = true;
  const found = early && early.term === message.term
    ? await early.found : await pagefind.search(message.term);
  early = null;
  const results = found.results;  // best first
  // The best results' fragments start loading now, while the page merges the
  // groups' lists (Pagefind keeps a fragment once loaded).
  for (const result of results.slice(0, message.prefetch || 0)) {
    result.data().catch(() => null);
  }
  const number = ++searchNumber;
  searches.set(number, results);
  while (searches.size > KEPT) {
    searches.delete(searches.keys().next().value);
  }
  const scores = new Float64Array(results.length);
  const firsts = new Float64Array(results.length);
  results.forEach((result, n) => {
    scores[n] = result.score;
    firsts[n] = first(result.words);
  });
  // One string of ids: a structured copy of one string is cheaper than of thousands.
  return { ids: results.map((r) => r.id).join(" "), scores, firsts, search: number };
}

async function data(message) {
  const results = searches.get(message.search);
  if (!results) {
    throw new Error("search " + message.search + " is no longer kept");
  }
  return Promise.all(message.places.map((n) => results[n].data()));
}

self.addEventListener("message", async (event) => {
  const message = event.data;
  try {
    if (message.type === "preload") {
      await pagefind.preload(message.term);
      warmUp(message.term);
      return;
    }
    const run = { init, search, data }[message.type];
    const result = await run(message);
    const transfer = result && result.scores instanceof Float64Array
      ? [result.scores.buffer, result.firsts.buffer] : [];
    self.postMessage({ id: message.id, result }, transfer);
  } catch (error) {
    if (message.id !== undefined) {
      self.postMessage({ id: message.id, error: String(error && error.message || error) });
    }
  }
});
