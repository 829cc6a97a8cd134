window.__pwned = 1; alert(document.domain);
