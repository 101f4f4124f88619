// The page talks only to its own server (docs/api.md); the token, when one is needed, travels
// in the page's cookie, so no request below names it.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var chosen = [];
  var ROUNDING = {exact: "逐数四舍五入", balanced: "舍位平衡（合计等于分项之和）"};
  var KINDS = [["xlsx", "公开表（.xlsx）"], ["docx", "（.docx）"], ["md", "（.md）"],
               ["json", "校验报告（JSON）"], ["html", "校验报告（网页）"]];
  var NARRATIVE = {"预算": "预算说明", "决算": "决算说明"};  // the 说明 of each document (the answer's family)

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // The printed address carries the token; its answer has set the cookie, so the address bar drops it.
  if (/[?&]token=/.test(window.location.search)) { window.history.replaceState(null, "", window.location.pathname); }

  // -- 1. templates ------------------------------------------------------------------------
  var year = $("tpl-year"), unit = $("tpl-unit"), blank = $("tpl-blank"), format = $("tpl-profile");
  var thisYear = new Date().getFullYear();
  year.value = thisYear + 1;
  function blankHref() {
    blank.href = "/api/template?year=" + encodeURIComponent(year.value) + "&unit=" + encodeURIComponent(unit.value) +
      (format.value ? "&profile=" + encodeURIComponent(format.value) : "");
  }
  year.addEventListener("input", blankHref);
  unit.addEventListener("change", blankHref);
  format.addEventListener("change", function () {  // each format has its money unit; the clerk may still change it
    var chosen = format.options[format.selectedIndex];
    if (chosen && chosen.dataset.unit) { unit.value = chosen.dataset.unit; }
    if (chosen && chosen.dataset.family) {  // a budget is for next year, a 决算 for the year closed (from its budget)
      var accounts = chosen.dataset.family === "决算";
      year.value = accounts ? thisYear - 1 : thisYear + 1;
      $("tpl-year-label").textContent = chosen.dataset.family + "年度";
      $("tpl-from-text").textContent = accounts ? "或由本年度已填报的预算工作簿生成决算模板（带入单位、主要职能、年初预算和项目）："
        : "或由上年已填报的工作簿生成今年模板（带入单位、项目、说明事项，并填好上年数）：";
      $("tpl-choose").textContent = accounts ? "选择预算工作簿" : "选择上年工作簿";
      $("tpl-from").textContent = accounts ? "生成决算模板" : "生成今年模板";
    }
    blankHref();
  });
  blankHref();
  $("tpl-choose").addEventListener("click", function () { $("tpl-previous").click(); });
  $("tpl-previous").addEventListener("change", function () {
    $("tpl-from").disabled = !this.files.length;
    $("tpl-previous-name").textContent = this.files.length ? this.files[0].name : "未选择文件";
  });
  $("tpl-from").addEventListener("click", function () {
    var data = new FormData();
    data.append("files", $("tpl-previous").files[0]);
    var chosen = format.options[format.selectedIndex];  // a 决算 template is made in the 决算 format chosen here
    data.append("profile", chosen && chosen.dataset.family === "决算" ? format.value : $("profile").value);
    var message = $("tpl-message");
    message.className = "message";
    message.textContent = "正在生成……";
    post("/api/template", data).then(function (answer) {
      if (answer.body.downloads && answer.body.downloads.xlsx) {
        var source = $("tpl-choose").textContent.replace("选择", "");  // 上年工作簿, or the 决算's 预算工作簿
        message.textContent = "已" + $("tpl-from").textContent + "。" +
          (answer.body.report.summary.total ? source + "的问题：" + answer.body.summary : "");
        message.appendChild(el("a", {href: answer.body.downloads.xlsx, download: "", id: "tpl-download"}, "下载"));
        window.location.href = answer.body.downloads.xlsx;
      } else {
        message.className = "message bad";
        message.textContent = answer.body.error || "无法生成模板。";
      }
    });
  });

  // -- 2. choosing workbooks -----------------------------------------------------------------
  function showChosen() {
    var list = $("chosen");
    list.textContent = "";
    chosen.forEach(function (file, i) {
      var item = el("li", {}, file.name);
      var remove = el("button", {type: "button", title: "移除"}, "×");
      remove.addEventListener("click", function () { chosen.splice(i, 1); showChosen(); });
      item.appendChild(remove);
      list.appendChild(item);
    });
    $("btn-check").disabled = $("btn-compile").disabled = !chosen.length;
  }
  function add(files) {
    [].forEach.call(files, function (f) { chosen.push(f); });
    showChosen();
  }
  $("files").addEventListener("change", function () { add(this.files); this.value = ""; });
  var budgets = [];  // a 部门决算's year budget workbook(s)
  function showBudgets() {
    $("budget-name").textContent = budgets.length ? budgets.map(function (f) { return f.name; }).join("、") : "未选择";
    $("budget-clear").hidden = !budgets.length;
  }
  $("budget-choose").addEventListener("click", function () { $("budget").click(); });
  $("budget").addEventListener("change", function () { budgets = [].slice.call(this.files); this.value = ""; showBudgets(); });
  $("budget-clear").addEventListener("click", function () { budgets = []; showBudgets(); });
  var drop = $("drop");
  drop.addEventListener("click", function () { $("files").click(); });  // a button: Tab, Enter and Space reach it
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) { e.preventDefault(); add(e.dataTransfer.files); });

  fetch("/api/profiles").then(function (r) { return r.json(); }).then(function (info) {
    $("profile").appendChild(el("option", {value: ""}, "按工作簿记载的格式（未记载时为 " + info["default"] + "）"));
    info.profiles.forEach(function (p) {
      var label = p.name + (p.description ? "：" + p.description : "");
      $("profile").appendChild(el("option", {value: p.name, title: p.description}, label));
      var option = el("option", {value: p.name, title: p.description, "data-unit": p.amount_unit,
                                 "data-family": p.family}, label);
      option.selected = p.name === info["default"];
      format.appendChild(option);
    });
    blankHref();
    if (info.options.rounding.length) {
      $("rounding").appendChild(el("option", {value: ""}, "按格式配置"));
      info.options.rounding.forEach(function (r) {
        $("rounding").appendChild(el("option", {value: r}, ROUNDING[r] || r));
      });
      $("rounding-choice").hidden = false;
    }
  });

  // -- 3. checking and compiling ---------------------------------------------------------------
  function post(url, data) {
    return fetch(url, {method: "POST", body: data}).then(function (r) {
      return r.json().then(function (body) { return {status: r.status, body: body}; },
                           function () { return {status: r.status, body: {error: "服务器返回了无法识别的内容（" + r.status + "）"}}; });
    }, function () { return {status: 0, body: {error: "无法连接服务器：xlbudget serve 是否仍在运行？"}}; });
  }

  function run(url) {
    var data = new FormData();
    chosen.forEach(function (f) { data.append("files", f, f.name); });
    budgets.forEach(function (f) { data.append("budget", f, f.name); });
    data.append("profile", $("profile").value);
    var formats = ["narr-docx", "narr-md"].filter(function (id) { return $(id).checked; })
      .map(function (id) { return $(id).value; });
    data.append("narrative", formats.length ? formats.join(",") : "none");
    if (!$("rounding-choice").hidden) { data.append("rounding", $("rounding").value); }
    reset();
    $("results").hidden = false;
    setStatus("busy", "正在处理 " + chosen.length + " 个工作簿……");
    $("btn-check").disabled = $("btn-compile").disabled = true;
    post(url, data).then(function (answer) {
      show(answer.body, url === "/api/compile");
      $("btn-check").disabled = $("btn-compile").disabled = !chosen.length;
      $("status").focus({preventScroll: true});  // keyboard and screen-reader users land on the result
      $("status").scrollIntoView({block: "start"});
    });
  }
  $("btn-check").addEventListener("click", function () { run("/api/check"); });
  $("btn-compile").addEventListener("click", function () { run("/api/compile"); });

  function reset() {
    ["downloads", "preview", "preview-tabs"].forEach(function (id) { $(id).textContent = ""; });
    $("findings-block").hidden = $("preview-block").hidden = true;
  }

  function setStatus(kind, text) {
    $("status").className = "status " + kind;
    $("status").textContent = text;
  }

  function show(body, compiling) {
    if (!body.report) { setStatus("unusable", body.error || "请求没有完成。"); return; }
    if (body.expires_in) { $("ttl").textContent = Math.round(body.expires_in / 60); }
    var summary = body.report.summary;
    if (body.status === "unusable") {
      setStatus("unusable", "文件无法使用：" + body.error);
    } else if (body.status === "errors") {
      setStatus("errors", "发现 " + summary.error + " 个错误，" + (compiling ? "没有生成公开表。" + body.note : "请改正后再编制。"));
    } else {
      setStatus("ok", (compiling ? "已生成公开表。" : "校验通过，没有错误。") + body.summary);
    }
    KINDS.forEach(function (k) {
      var url = k[0] === "html" ? body.report_html : (body.downloads || {})[k[0]];
      if (url && (compiling || k[0] === "json" || k[0] === "html")) {
        var label = (k[0] === "docx" || k[0] === "md" ? NARRATIVE[body.family] || "预算说明" : "") + k[1];
        $("downloads").appendChild(el("a", {href: url, download: "", "data-kind": k[0], "class": "button"}, "下载" + label));
      }
    });
    $("findings-block").hidden = false;
    var frame = $("findings-frame");
    frame.onload = function () { fit(frame); };
    frame.src = body.report_html;
    if (body.preview) { loadPreview(body.preview); }
  }

  function fit(frame) {
    var doc = frame.contentDocument;
    if (!doc) { return; }
    var resize = function () { frame.style.height = (doc.documentElement.scrollHeight + 4) + "px"; };
    doc.addEventListener("change", function () { setTimeout(resize, 0); });
    resize();
  }

  function loadPreview(url) {
    fetch(url).then(function (r) { return r.text(); }).then(function (html) {
      var box = $("preview"), tabs = $("preview-tabs");
      box.innerHTML = html;  // built and escaped by the server (xlbudget/web/preview.py)
      var sheets = [].slice.call(box.querySelectorAll(".sheet"));
      sheets.forEach(function (sheet, i) {
        var tab = el("button", {type: "button", "data-table": sheet.id}, (i + 1) + " " + sheet.dataset.name);
        tab.addEventListener("click", function () { select(i); });
        tabs.appendChild(tab);
      });
      function select(n) {
        sheets.forEach(function (s, i) { s.hidden = i !== n; tabs.children[i].classList.toggle("active", i === n); });
      }
      select(0);
      $("preview-block").hidden = false;
    });
  }
})();
