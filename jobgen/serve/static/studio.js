// jobgen studio: sends the answers to this server and shows what it returns. The server
// composes, renders, checks and writes files; this script only moves data and draws it.
"use strict";

(function () {
  const API = "/api/v1";
  const DELAY = 300; // ms of quiet typing before the preview is asked for
  const guide = document.body.dataset.guide;
  const form = document.getElementById("answers");
  const controls = Array.from(form.querySelectorAll("[data-field]"));
  const status = document.getElementById("status");
  const frame = document.getElementById("preview");
  const formErrors = document.getElementById("form-errors");
  let timer = null;
  let sent = 0; // number of the latest preview request; older answers are dropped

  function url(path, params) {
    const query = new URLSearchParams(Object.assign({ guide: guide }, params || {}));
    return API + path + "?" + query.toString();
  }

  function collect() {
    const values = {};
    for (const control of controls) {
      const text = control.value.trim();
      if (text === "") continue;
      if (control.dataset.kind === "list") {
        const entries = text.split("\n").map((s) => s.trim()).filter((s) => s !== "");
        if (entries.length) values[control.dataset.field] = entries;
      } else {
        values[control.dataset.field] = text;
      }
    }
    return values;
  }

  function post(path, body, params, type, name) {
    const headers = { "Content-Type": type || "application/json" };
    if (name) headers["X-File-Name"] = name.replace(/[^\x20-\x7e]/g, "_");
    return fetch(url(path, params), {
      method: "POST",
      headers: headers,
      body: type ? body : JSON.stringify(body),
    });
  }

  function clearErrors() {
    formErrors.textContent = "";
    for (const control of controls) {
      control.removeAttribute("aria-invalid");
      document.getElementById(control.id + "-error").textContent = "";
    }
  }

  function showErrors(errors) {
    clearErrors();
    const general = [];
    for (const error of errors) {
      const text = error.message + (error.hint ? " (" + error.hint + ")" : "");
      const control = controls.find((c) => c.dataset.field === error.field);
      if (control) {
        control.setAttribute("aria-invalid", "true");
        const slot = document.getElementById(control.id + "-error");
        slot.textContent = slot.textContent ? slot.textContent + " " + text : text;
      } else {
        general.push(text);
      }
    }
    formErrors.textContent = general.join(" ");
  }

  async function errorsOf(response) {
    try {
      const data = await response.json();
      if (data && Array.isArray(data.errors)) return data.errors;
    } catch (e) {
      /* not JSON: fall through */
    }
    return [{ field: null, message: "The server answered " + response.status + ".", hint: null }];
  }

  function renderLint(report) {
    const list = document.getElementById("lint");
    list.textContent = "";
    const counts = { error: 0, warning: 0, info: 0 };
    for (const finding of report.findings) {
      counts[finding.severity] = (counts[finding.severity] || 0) + 1;
      const item = document.createElement("li");
      item.className = "finding " + finding.severity;
      const badge = document.createElement("strong");
      badge.textContent = finding.severity;
      item.append(badge, " " + finding.message + " ");
      const rule = document.createElement("code");
      rule.textContent = finding.rule;
      item.append(rule);
      list.append(item);
    }
    const parts = [
      counts.error + " error" + (counts.error === 1 ? "" : "s"),
      counts.warning + " warning" + (counts.warning === 1 ? "" : "s"),
      counts.info + " info",
    ];
    // as the CLI's text report: only masculine-coded wording is worth a reader's attention
    // (a finding lists its words); the feminine or neutral balance stays in the JSON
    if (report.gender_coding && /masculine/.test(report.gender_coding.verdict)) {
      parts.push("gender coding: " + report.gender_coding.verdict);
    }
    if (report.readability) {
      parts.push("reading grade " + report.readability.flesch_kincaid_grade);
    }
    parts.push(report.word_count + " words");
    document.getElementById("lint-summary").textContent = parts.join(" · ");
  }

  async function refresh() {
    const number = ++sent;
    status.textContent = "Updating…";
    let response;
    try {
      response = await post("/preview", collect());
    } catch (e) {
      status.textContent = "The server cannot be reached.";
      return;
    }
    if (number !== sent) return;
    if (response.ok) {
      const data = await response.json();
      if (number !== sent) return;
      clearErrors();
      frame.srcdoc = data.html;
      renderLint(data.lint);
      status.textContent = "Preview updated.";
    } else {
      const errors = await errorsOf(response);
      if (number !== sent) return;
      showErrors(errors);
      status.textContent = "Fix the marked answers to update the preview.";
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY);
  }

  function fileName(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : fallback;
  }

  async function download(response, fallback) {
    const blob = await response.blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName(response, fallback);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    status.textContent = "Downloaded " + link.download + ".";
  }

  async function downloadFormat(fmt) {
    const response = await post("/render", collect(), { format: fmt });
    if (response.ok) {
      await download(response, "posting." + fmt);
      const warnings = JSON.parse(response.headers.get("X-Jobgen-Warnings") || "[]");
      if (warnings.length) status.textContent += " Warning: " + warnings.join(" ");
    } else {
      showErrors(await errorsOf(response));
      status.textContent = "The " + fmt + " file needs the marked answers first.";
    }
  }

  function fill(fields) {
    for (const control of controls) {
      const value = fields[control.dataset.field];
      if (control.tagName === "SELECT" && value === undefined) {
        control.selectedIndex = 0;
      } else if (control.tagName === "SELECT") {
        // a value the list does not hold is shown as written, and the preview names the problem
        if (!Array.from(control.options).some((o) => o.value === value)) {
          control.append(new Option(value + " (not a choice)", value));
        }
        control.value = value;
      } else if (Array.isArray(value)) {
        control.value = value.join("\n");
      } else {
        control.value = value === undefined ? "" : value;
      }
    }
  }

  async function openFile(file) {
    const text = await file.text();
    const response = await post("/employer-file/read", text, {}, "application/yaml", file.name);
    if (response.ok) {
      const data = await response.json();
      fill(data.fields);
      status.textContent = "Opened " + file.name + ".";
      refresh();
    } else {
      showErrors(await errorsOf(response));
      status.textContent = file.name + " could not be opened.";
    }
  }

  async function saveFile() {
    const response = await post("/employer-file", collect());
    if (response.ok) {
      await download(response, "employer.yaml");
    } else {
      showErrors(await errorsOf(response));
      status.textContent = "Fix the marked answers to save the file.";
    }
  }

  function choose(setting, education) {
    form.querySelector('[data-field="setting"]').value = setting;
    form.querySelector('[data-field="education"]').value = education;
    refresh();
  }

  async function showVariants() {
    const box = document.getElementById("variants");
    const response = await post("/variants", collect());
    if (!response.ok) {
      showErrors(await errorsOf(response));
      return;
    }
    const entries = await response.json();
    box.textContent = "";
    const table = document.createElement("table");
    const caption = document.createElement("caption");
    caption.textContent = "Variants for these answers";
    const head = document.createElement("tr");
    for (const title of ["Setting", "Education", "Summary", "Checks", ""]) {
      const cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = title;
      head.append(cell);
    }
    table.append(caption, head);
    for (const entry of entries) {
      const row = document.createElement("tr");
      const counts = entry.lint.error + " errors, " + entry.lint.warning + " warnings";
      for (const text of [entry.setting_name, entry.education_name, entry.summary, counts]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      const cell = document.createElement("td");
      const use = document.createElement("button");
      use.type = "button";
      use.textContent = "Use";
      use.setAttribute("aria-label", "Use " + entry.setting_name + ", " + entry.education_name);
      use.addEventListener("click", () => choose(entry.setting, entry.education));
      cell.append(use);
      row.append(cell);
      table.append(row);
    }
    box.append(table);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => event.preventDefault());
  for (const button of document.querySelectorAll("[data-download]")) {
    button.addEventListener("click", () => downloadFormat(button.dataset.download));
  }
  document.getElementById("open-file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) openFile(file);
    event.target.value = "";
  });
  document.getElementById("save-file").addEventListener("click", saveFile);
  document.getElementById("show-variants").addEventListener("click", showVariants);
  refresh();
})();
