// The nav badge: how many staff calls wait for an answer, polled each second from the hall (no CDN).
(function () {
  var badge = document.getElementById("calls-badge");
  if (!badge || document.body.classList.contains("calls-page")) return;
  function poll() {
    fetch(badge.dataset.src, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        badge.textContent = data.open;
        badge.hidden = !data.open;
      })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
