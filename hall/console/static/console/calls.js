// The staff-call page: fetches the open calls each second from the hall's JSON endpoint and redraws the list;
// the 已收到 button posts with the page's CSRF token. Plain DOM, no library, no CDN.
(function () {
  var root = document.getElementById("calls");
  if (!root) return;
  var list = document.getElementById("call-list");
  var live = document.getElementById("live");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var lastOk = Date.now();

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function age(seconds) {
    if (seconds < 60) return Math.floor(seconds) + " 秒前";
    if (seconds < 3600) return Math.floor(seconds / 60) + " 分钟前";
    return Math.floor(seconds / 3600) + " 小时前";
  }

  function draw(data) {
    list.textContent = "";
    if (!data.calls.length) {
      list.appendChild(el("div", "empty", "当前没有呼叫。终端上有人按下“呼叫工作人员”时，这里会在 2 秒内出现。"));
    }
    data.calls.forEach(function (call) {
      var row = el("div", "call" + (call.acked_at ? " acked" : ""));
      row.id = "call-" + call.call_id;
      row.dataset.callId = call.call_id;
      row.appendChild(el("div", "where", call.kiosk_name + " · " + call.location));
      row.appendChild(el("div", "step", "所在步骤：" + call.step + (call.service_title ? "（" + call.service_title + "）" : "")));
      row.appendChild(el("div", "age", age(call.age_s)));
      if (call.acked_at) {
        row.appendChild(el("div", "ok", "已由 " + call.acked_by + " 确认，终端将显示“工作人员已收到，马上过来”"));
      } else {
        var button = el("button", "primary ack", "已收到，马上过去");
        button.type = "button";
        button.addEventListener("click", function () { ack(call.ack_url, button); });
        row.appendChild(button);
      }
      list.appendChild(row);
    });
  }

  function ack(url, button) {
    button.disabled = true;
    fetch(url, {method: "POST", credentials: "same-origin",
                headers: {"X-CSRFToken": csrf, "Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { button.disabled = false; alert("确认没有成功，请再点一次。"); } })
      .catch(function () { button.disabled = false; });
  }

  function poll() {
    fetch(root.dataset.src, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        draw(data);
        lastOk = Date.now();
        live.textContent = "实时更新中（每秒刷新）· " + data.server_time.slice(11, 19);
        live.className = "live";
      })
      .catch(function () {
        if (Date.now() - lastOk > 3000) {
          live.textContent = "与大厅服务器的连接中断，正在重试……呼叫可能没有显示，请留意终端。";
          live.className = "live stale";
        }
      })
      .finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
